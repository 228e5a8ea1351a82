package io.weir.clients.producer.internals;

import io.weir.common.errors.InterruptException;
import io.weir.common.errors.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accounts for {@code buffer.memory}: a producer thread reserves a batch's bytes before opening the batch and
 * the sender thread returns them when the batch completes. When the budget is spent, {@link #reserve} blocks
 * up to {@code max.block.ms}. Unlike Kafka's pool it hands out no buffers — the batch builder owns its
 * memory — so it is only a counting semaphore with a clear timeout message.
 *
 * <p>Thread-safe; {@code lock} guards {@code available}. {@link #waiters()} is read without the lock by the
 * sender, which only uses it as a hint to send batches early.
 */
final class BufferPool {
    private final long totalMemory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private long available;
    private volatile int waiters;

    BufferPool(long totalMemory) {
        this.totalMemory = totalMemory;
        this.available = totalMemory;
    }

    /**
     * @throws TimeoutException naming the sizes if {@code size} bytes do not become free within {@code maxWaitMs}
     */
    void reserve(int size, long maxWaitMs) {
        lock.lock();
        try {
            if (available >= size) {
                available -= size;
                return;
            }
            long remaining = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
            waiters++;
            try {
                while (available < size) {
                    if (remaining <= 0) {
                        throw new TimeoutException("Failed to allocate " + size + " bytes of buffer.memory within "
                                + "max.block.ms=" + maxWaitMs + " ms: buffer.memory=" + totalMemory + " bytes, "
                                + available + " available; the sender is not keeping up with send()");
                    }
                    remaining = freed.awaitNanos(remaining);
                }
                available -= size;
            } finally {
                waiters--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + size + " bytes of buffer.memory", e);
        } finally {
            lock.unlock();
        }
    }

    void release(int size) {
        lock.lock();
        try {
            available += size;
            if (waiters > 0) {
                freed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int waiters() {
        return waiters;
    }

    long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    long totalMemory() {
        return totalMemory;
    }
}
