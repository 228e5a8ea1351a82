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
 * <p>Invariant: {@code free.size() * poolableSize + nonPooledAvailable + (bytes handed out and not yet returned)
 * == totalMemory}. {@link #allocate} blocks while that leaves too little, up to {@code max.block.ms} measured on
 * the injected {@link Time}; free buffers are released to the garbage collector when an odd size needs their
 * memory. Blocked allocations are served first come, first served: while one waits, a new one queues behind it
 * instead of taking what was just returned, and only the oldest takes memory. Otherwise a record larger than
 * {@code batch.size}, which needs several returned buffers' bytes at once, could wait out its whole
 * {@code max.block.ms} while other threads' batch-sized allocations took each buffer as it came back (Kafka's pool
 * has its waiters gather memory for the same reason).
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

    static final int DEFAULT_SLAB_BYTES = 4 << 20;

    private final long totalMemory;
    private final int poolableSize;
    private final int buffersPerSlab;
    private final Time time;
    private final ReentrantLock lock = new ReentrantLock();
    /** Blocked allocations in arrival order, each with its own condition; only the first may take memory. */
    private final ArrayDeque<Condition> waiting = new ArrayDeque<>();

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
        if (totalMemory <= 0 || poolableSize < 0) {
            throw new IllegalArgumentException("buffer.memory (" + totalMemory + ") must be positive and batch.size ("
                    + poolableSize + ") not negative");
        }
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.buffersPerSlab = poolableSize == 0 ? 1 : Math.max(1, slabBytes / poolableSize);
        this.time = time;
        this.nonPooledAvailable = totalMemory;
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
            if (!waiting.isEmpty() || !hasRoomFor(size)) {
                awaitTurn(size, maxBlockMs);
            }
            // Last in, first out: the buffer returned most recently is the likeliest to be in the CPU's caches.
            if (size == poolableSize && !free.isEmpty()) {
                ByteBuffer pooled = free.pollLast();
                signalNextIfRoom();
                return pooled;
            }
            freeUp(size);
            if (size == poolableSize) {
                count = (int) Math.min(buffersPerSlab, nonPooledAvailable / poolableSize);
            }
            nonPooledAvailable -= (long) count * size;
            signalNextIfRoom();
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
                signalWaiters();
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
            signalWaiters();
        } finally {
            lock.unlock();
        }
        return ByteBuffer.wrap(slab, 0, size).slice();
    }

    private boolean hasRoomFor(int size) {
        return nonPooledAvailable + (long) free.size() * poolableSize >= size;
    }

    /**
     * Caller holds the lock: queues behind the allocations already waiting and returns once this one is the oldest and
     * {@link #hasRoomFor} is true; the caller then takes the memory before it lets go of the lock.
     */
    private void awaitTurn(int size, long maxBlockMs) {
        long deadline = time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        Condition turn = lock.newCondition();
        waiting.addLast(turn);
        waiters = waiting.size();
        try {
            while (waiting.peekFirst() != turn || !hasRoomFor(size)) {
                long remaining = deadline - time.nanoseconds();
                if (remaining <= 0) {
                    throw new TimeoutException("Failed to allocate " + size + " bytes of buffer.memory within "
                            + "max.block.ms=" + maxBlockMs + " ms: buffer.memory=" + totalMemory + " bytes, "
                            + availableMemory() + " available; the sender is not keeping up with send()");
                }
                turn.awaitNanos(Math.min(remaining, MAX_WAIT_SLICE_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + size + " bytes of buffer.memory", e);
        } finally {
            boolean wasFirst = waiting.peekFirst() == turn;
            waiting.remove(turn);
            waiters = waiting.size();
            if (wasFirst && !hasRoomFor(size)) {
                signalNextIfRoom(); // gave up: whoever is next may fit in what this one could not use
            }
        }
    }

    /** Caller holds the lock: wakes the oldest waiting allocation if anything is left to take. */
    private void signalNextIfRoom() {
        Condition next = waiting.peekFirst();
        if (next != null && (nonPooledAvailable > 0 || !free.isEmpty())) {
            next.signal();
        }
    }

    /** Caller holds the lock: drops free buffers to the collector until {@code size} fits in non-pooled memory. */
    private void freeUp(int size) {
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
            signalWaiters();
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
            signalWaiters();
        } finally {
            lock.unlock();
        }
    }

    private void signalWaiters() {
        Condition next = waiting.peekFirst();
        if (next != null) {
            next.signal();
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

    int poolableSize() {
        return poolableSize;
    }

    long totalMemory() {
        return totalMemory;
    }
}
