package io.weir.clients.consumer.internals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Sends a group member's heartbeats in the background every {@code heartbeat.interval.ms}, so that time
 * spent processing between polls does not end the member's session; and enforces
 * {@code max.poll.interval.ms}, leaving the group for a consumer that stopped polling. The work of each beat
 * is {@link ConsumerCoordinator#heartbeatTick()}; this class is only the loop.
 *
 * <p>Started by the coordinator's first join, stopped by {@link #shutdown()}, which returns once the thread
 * has ended. The thread is a daemon, so a consumer that is never closed does not keep the JVM alive.
 */
final class HeartbeatThread {
    private final ConsumerCoordinator coordinator;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;

    HeartbeatThread(ConsumerCoordinator coordinator, long intervalMs, String name) {
        this.coordinator = coordinator;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(this, intervalNanos);
            if (!running) {
                return;
            }
            try {
                coordinator.heartbeatTick();
            } catch (RuntimeException e) {
                // The coordinator routes errors it understands to the consumer thread; anything else must not
                // kill the loop, or the session would silently expire.
                LoggerFactory.getLogger(HeartbeatThread.class)
                        .warn("Heartbeat failed; retrying in the next interval", e);
            }
        }
    }

    /** Stops the loop and waits for the thread to end (at most one heartbeat's request timeout). */
    void shutdown() {
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
