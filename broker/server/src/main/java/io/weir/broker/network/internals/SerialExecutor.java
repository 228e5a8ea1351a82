package io.weir.broker.network.internals;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's broker calls one at a time, in submission order, on threads of a shared pool. A call
 * that blocks (a produce waiting for append-ring space, an internal-topic append) holds up only the calls of
 * its own connection, never an event loop; order keeps a producer's pipelined batches appending as sent.
 *
 * <p>Thread-safe: tasks are submitted from the connection's event loop and drained on a pool thread.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** @throws RejectedExecutionException the pool is shut down (the listener is closing) */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.addLast(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                tasks.clear();
                running = false;
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.pollFirst();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("A broker call failed outside its future", e);
            }
        }
    }
}
