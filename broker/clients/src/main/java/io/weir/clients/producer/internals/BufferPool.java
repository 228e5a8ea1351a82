package io.weir.clients.producer.internals;

import io.weir.common.errors.InterruptException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's {@code buffer.memory}, handed out as batch buffers, as Kafka's producer {@code BufferPool}: a
 * buffer of exactly {@code poolableSize} bytes ({@code batch.size}) comes from the free list when one is there,
 * so a producer at full rate writes its batches into the same few thousand arrays over and over instead of
 * allocating 64 KiB per batch (which, held for a batch's life, was promoted and copied by every young
 * collection). Any other size is allocated fresh and dropped when returned; its bytes count all the same.
 *
 * <p>Batch buffers are carved from slabs of about {@value #DEFAULT_SLAB_BYTES} bytes, each one array. G1 calls an
 * array of half a region or more "humongous" (a 4 MiB array is, for heaps up to 16 GB) and allocates it straight
 * into the old generation, where no young collection ever copies it: a pool of 64 KiB arrays was copied from
 * eden to survivor to old once per array, hundreds of megabytes per new producer. A slab stays reachable while
 * any of its slices is, so once free slices are dropped for an odd size the heap may hold a little more than
 * {@code buffer.memory} until the slab's other slices are dropped too.
 *
 * <p>Invariant: {@code free.size() * poolableSize + nonPooledAvailable + (bytes gathered by waiters) + (bytes handed
 * out and not yet returned) == totalMemory}. {@link #allocate} blocks while that leaves too little, up to {@code max.block.ms} measured on
 * the injected {@link Time}; free buffers are released to the garbage collector when an odd size needs their
 * memory. As in Kafka, an allocation that fits in the memory free now takes it at once, waiters or not; so a
 * {@code send()} from a producer callback, which runs on the sender thread before the sender returns the batch's
 * buffer, is not queued behind an allocation that only the sender can serve. Memory returned while allocations wait
 * goes to them, oldest first, each gathering its bytes until it has them all (a waiter of {@code batch.size} is
 * handed a returned buffer whole); a waiter that gives up hands what it gathered to the next. Otherwise a record
 * larger than {@code batch.size}, which needs several returned buffers' bytes at once, could wait out its whole
 * {@code max.block.ms} while other threads' batch-sized allocations took each buffer as it came back.
 *
 * <p>A buffer handed to {@link #deallocate} must no longer be read or written by anyone — the caller (the sender)
 * returns a batch's buffer only once the batch is complete <em>and</em> the broker has answered every request
 * that carried it. {@link #release} returns only the bytes, for a buffer that someone may still read.
 *
 * <p>Thread-safe; {@code lock} guards the free list and the counters. {@link #waiters()} is read without the lock
 * by the sender, which only uses it as a hint to send batches early.
 */
final class BufferPool {
    /**
     * A waiter re-reads the clock at least this often, so a deadline on a manual {@link Time} a test advances is
     * noticed without anyone signalling.
     */
    private static final long MAX_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long maxWaitSliceNanos;

    static final int DEFAULT_SLAB_BYTES = 4 << 20;

    private final long totalMemory;
    private final int poolableSize;
    private final int buffersPerSlab;
    private final Time time;
    private final ReentrantLock lock = new ReentrantLock();
    /** Blocked allocations in arrival order; memory returned goes to the first not yet served. */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** Bytes neither handed out nor sitting in {@code free}. */
    private long nonPooledAvailable;

    private volatile int waiters;

    /**
     * @param poolableSize the size of the buffers kept for reuse: {@code batch.size}; 0 (no batching, as Kafka
     *     allows) pools nothing and allocates every buffer fresh
     * @throws IllegalArgumentException if {@code totalMemory} is not positive or {@code poolableSize} is negative
     */
    BufferPool(long totalMemory, int poolableSize, Time time) {
        this(totalMemory, poolableSize, DEFAULT_SLAB_BYTES, time);
    }

    /** @param slabBytes how many bytes of batch buffers to allocate as one array; one buffer a slab if smaller */
    BufferPool(long totalMemory, int poolableSize, int slabBytes, Time time) {
        this(totalMemory, poolableSize, slabBytes, time, MAX_WAIT_SLICE_NANOS);
    }

    /**
     * @param maxWaitSliceNanos how often a waiter re-reads the clock unsignalled (tests make it long, so that a missed
     *     wake-up shows as a hang rather than a delay)
     */
    BufferPool(long totalMemory, int poolableSize, int slabBytes, Time time, long maxWaitSliceNanos) {
        if (totalMemory <= 0 || poolableSize < 0) {
            throw new IllegalArgumentException("buffer.memory (" + totalMemory + ") must be positive and batch.size ("
                    + poolableSize + ") not negative");
        }
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.buffersPerSlab = poolableSize == 0 ? 1 : Math.max(1, slabBytes / poolableSize);
        this.time = time;
        this.nonPooledAvailable = totalMemory;
        this.maxWaitSliceNanos = maxWaitSliceNanos;
    }

    /**
     * A buffer of capacity exactly {@code size}, position 0, limit {@code size}.
     *
     * @throws IllegalArgumentException if {@code size} is larger than the whole pool (it could never be satisfied)
     * @throws TimeoutException naming the sizes if {@code size} bytes do not become free within {@code maxBlockMs}
     * @throws InterruptException if the thread is interrupted while waiting
     */
    ByteBuffer allocate(int size, long maxBlockMs) {
        if (size > totalMemory) {
            throw new IllegalArgumentException(
                    "Cannot allocate " + size + " bytes from a buffer.memory of " + totalMemory + " bytes");
        }
        int count = 1;
        lock.lock();
        try {
            // Last in, first out: the buffer returned most recently is the likeliest to be in the CPU's caches.
            if (size == poolableSize && !free.isEmpty()) {
                return free.pollLast();
            }
            if (hasRoomFor(size)) {
                freeUp(size);
                if (size == poolableSize) {
                    count = (int) Math.min(buffersPerSlab, nonPooledAvailable / poolableSize);
                }
                nonPooledAvailable -= (long) count * size;
            } else {
                Waiter served = await(size, maxBlockMs);
                if (served.buffer != null) {
                    return served.buffer;
                }
                // else its bytes were gathered for it: allocate them
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock: zeroing a new array takes a while, and the bytes are already ours — unless the allocation
        // fails (an OutOfMemoryError), which must give them back or the pool shrinks for good.
        byte[] slab;
        try {
            slab = new byte[count * size];
        } catch (Throwable t) {
            lock.lock();
            try {
                nonPooledAvailable += (long) count * size;
                feedWaiters();
            } finally {
                lock.unlock();
            }
            throw t;
        }
        if (count == 1) {
            return ByteBuffer.wrap(slab);
        }
        lock.lock();
        try {
            for (int i = count - 1; i > 0; i--) {
                free.addLast(ByteBuffer.wrap(slab, i * size, size).slice());
            }
            feedWaiters();
        } finally {
            lock.unlock();
        }
        return ByteBuffer.wrap(slab, 0, size).slice();
    }

    private boolean hasRoomFor(long size) {
        return nonPooledAvailable + (long) free.size() * poolableSize >= size;
    }

    /** One blocked allocation; only the lock's holder reads or writes it. */
    private static final class Waiter {
        final Condition fed;
        final int size;
        /** Bytes already taken out of the pool for it, from memory returned while it waited. */
        long gathered;
        /** A batch buffer handed to it whole (only if it wants {@code poolableSize} bytes and gathered none). */
        ByteBuffer buffer;

        Waiter(Condition fed, int size) {
            this.fed = fed;
            this.size = size;
        }

        boolean served() {
            return buffer != null || gathered == size;
        }
    }

    /**
     * Caller holds the lock: queues this allocation and returns it once {@link #feedWaiters} has given it a buffer or
     * all its bytes; gives back what it gathered if it times out or is interrupted.
     */
    private Waiter await(int size, long maxBlockMs) {
        long deadline = time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        Waiter waiter = new Waiter(lock.newCondition(), size);
        waiting.addLast(waiter);
        waiters = waiting.size();
        boolean served = false;
        try {
            while (!waiter.served()) {
                long remaining = deadline - time.nanoseconds();
                if (remaining <= 0) {
                    throw new TimeoutException("Failed to allocate " + size + " bytes of buffer.memory within "
                            + "max.block.ms=" + maxBlockMs + " ms: buffer.memory=" + totalMemory + " bytes, "
                            + availableMemory() + " available; the sender is not keeping up with send()");
                }
                waiter.fed.awaitNanos(Math.min(remaining, maxWaitSliceNanos));
            }
            served = true;
            return waiter;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + size + " bytes of buffer.memory", e);
        } finally {
            waiting.remove(waiter);
            waiters = waiting.size();
            if (!served) {
                // Gave up: what it gathered (perhaps just handed over, its wake-up spent) goes to the next in line.
                if (waiter.buffer != null) {
                    free.addLast(waiter.buffer);
                }
                nonPooledAvailable += waiter.gathered;
                feedWaiters();
            }
        }
    }

    /**
     * Caller holds the lock, after memory came back: hands it to the waiting allocations, oldest first, and wakes each
     * one served. Memory returned while someone waits therefore goes to the waiters, not to whichever allocation
     * comes next (a record larger than {@code batch.size} gathers its bytes instead of starving); memory already free
     * when a waiter arrived stays free for new allocations, as in Kafka.
     */
    private void feedWaiters() {
        for (Waiter waiter : waiting) {
            if (!waiter.served()) {
                if (waiter.size == poolableSize && waiter.gathered == 0 && !free.isEmpty()) {
                    waiter.buffer = free.pollLast();
                } else {
                    long need = waiter.size - waiter.gathered;
                    freeUp(need);
                    long taken = Math.min(need, nonPooledAvailable);
                    nonPooledAvailable -= taken;
                    waiter.gathered += taken;
                }
                if (!waiter.served()) {
                    return;
                }
            }
            waiter.fed.signal();
        }
    }

    /** Caller holds the lock: drops free buffers to the collector until {@code size} fits in non-pooled memory. */
    private void freeUp(long size) {
        while (nonPooledAvailable < size && !free.isEmpty()) {
            free.pollFirst();
            nonPooledAvailable += poolableSize;
        }
    }

    /**
     * Returns a buffer that nobody reads or writes any more: one of {@code poolableSize} bytes is kept for the next
     * batch, any other is left to the collector. Its bytes become available either way.
     */
    void deallocate(ByteBuffer buffer) {
        lock.lock();
        try {
            if (buffer.capacity() == poolableSize) {
                buffer.clear();
                free.addLast(buffer);
            } else {
                nonPooledAvailable += buffer.capacity();
            }
            feedWaiters();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the bytes of a buffer that someone may still read (an {@code acks=0} request handed to an in-process
     * broker that answered before appending): the buffer itself is left to the collector.
     */
    void release(ByteBuffer buffer) {
        lock.lock();
        try {
            nonPooledAvailable += buffer.capacity();
            feedWaiters();
        } finally {
            lock.unlock();
        }
    }

    int waiters() {
        return waiters;
    }

    /** Bytes that {@link #allocate} could hand out now without waiting, pooled or not. */
    long availableMemory() {
        lock.lock();
        try {
            return nonPooledAvailable + (long) free.size() * poolableSize;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers kept for reuse. */
    int freeBuffers() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the memory {@code buffer} starts at (its array and offset) sits in the free list (tests). */
    boolean isFree(ByteBuffer buffer) {
        lock.lock();
        try {
            for (ByteBuffer b : free) {
                if (b.array() == buffer.array() && b.arrayOffset() == buffer.arrayOffset()) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    long totalMemory() {
        return totalMemory;
    }
}
