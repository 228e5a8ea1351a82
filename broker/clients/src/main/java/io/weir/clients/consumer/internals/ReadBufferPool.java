package io.weir.clients.consumer.internals;

import io.weir.common.protocol.ReadBuffers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.WeakHashMap;

/**
 * The consumer's fetch read buffers, reused: an in-process broker reads a fetch's batches into arrays lent from here
 * ({@link Lease}, one per fetch request), and the {@link Fetcher} gives an array back once every record read from it
 * has been turned into the consumer's own objects. Without it each fetch allocated an array of exactly the bytes
 * read, up to {@code max.partition.fetch.bytes} per partition — for a consumer keeping up at full rate a hundred bytes
 * of garbage per record, and on G1, for reads of half a region or more, a humongous allocation per fetch.
 *
 * <p>Ownership, which is what makes reuse safe: an array is this pool's while free; lent, it is the broker's until it
 * completes the fetch; if the answer carries it, the fetcher {@linkplain Lease#claim claims} it and owns it until it
 * {@link #give}s it back. A read the broker drops unseen comes back through {@link Lease#discard}. An array lent but
 * neither discarded nor in the answer (an answer the fetcher dropped) may still be written by a broker thread and is
 * never claimed: the collector takes it. So an array is
 * never in two hands, and the worst a lost array costs is an allocation.
 *
 * <p>Sizes: arrays are allocated in powers of two from {@value #MIN_BYTES} bytes, and a request takes the smallest free
 * array that holds it. None larger than {@code maxArrayBytes} ({@code max.partition.fetch.bytes} rounded up) is kept —
 * an oversized batch returned whole is read into an array of its own and dropped after — and free arrays are kept up
 * to {@code maxKeptBytes} in all. A consumer's budget ({@link #forConsumer}) is 4 MiB ({@link #KEPT_BYTES}), or two of
 * its largest arrays if more, never more than {@code fetch.max.bytes}: a consumer keeping up reads one fetch while it
 * converts the last, so a few arrays go round; more would be memory held for a consumer's life (Kafka's holds none),
 * {@code fetch.max.bytes} (50 MiB) per consumer, per streams thread, for the rare answer that big.
 *
 * <p>Thread-safe: broker threads allocate, the consumer's thread claims and gives; {@code this} guards the free list.
 */
final class ReadBufferPool {
    static final int MIN_BYTES = 4096;

    /** The free arrays a consumer keeps, in bytes, unless two of its largest arrays need more. */
    static final long KEPT_BYTES = 4L << 20;

    private final long maxKeptBytes;
    private final int maxArrayBytes;
    /** Guarded by {@code this}; a handful of arrays, so a linear best-fit scan. */
    private final List<byte[]> free = new ArrayList<>();
    /**
     * Guarded by {@code this}: every array lent and not claimed, with the lease it was lent to. Weak (arrays hash and
     * compare by identity): a long poll with a high {@code fetch.min.bytes} may re-read, and discard, many growing
     * reads before it answers, and a strong list would keep them all alive until then.
     */
    private final WeakHashMap<byte[], Lease> lent = new WeakHashMap<>();

    private long keptBytes;

    ReadBufferPool(long maxKeptBytes, int maxPartitionFetchBytes) {
        this.maxKeptBytes = maxKeptBytes;
        this.maxArrayBytes = roundUp(Math.max(MIN_BYTES, maxPartitionFetchBytes));
    }

    /**
     * A consumer's pool: free arrays kept up to 4 MiB or two arrays of the largest size kept,
     * whichever is more, and never more than {@code fetchMaxBytes}.
     */
    static ReadBufferPool forConsumer(long fetchMaxBytes, int maxPartitionFetchBytes) {
        long twoLargest = 2L * roundUp(Math.max(MIN_BYTES, maxPartitionFetchBytes));
        return new ReadBufferPool(Math.min(fetchMaxBytes, Math.max(KEPT_BYTES, twoLargest)), maxPartitionFetchBytes);
    }

    /** The buffers one fetch request may use; the fetcher claims from it what the answer carries. */
    Lease lease() {
        return new Lease();
    }

    /** Lends arrays to the broker for one fetch; the pool remembers which, so the answer's can be told apart. */
    final class Lease implements ReadBuffers {
        @Override
        public ByteBuffer allocate(int size) {
            byte[] array = take(size);
            synchronized (ReadBufferPool.this) {
                lent.put(array, this);
            }
            return ByteBuffer.wrap(array, 0, size);
        }

        /**
         * Broker thread: a read this lease lent for was dropped unseen (a long poll's re-read below
         * {@code fetch.min.bytes}), so its array is free again. Idempotent; anything not lent by this lease is ignored.
         */
        @Override
        public void discard(ByteBuffer buffer) {
            byte[] array = claim(buffer);
            if (array != null) {
                give(array);
            }
        }

        /**
         * Consumer thread, once the fetch's future completed: the array under {@code records} if this lease lent it,
         * now the caller's to {@link #give} back when nothing reads it any more; else null (the broker allocated it, or
         * there are no records).
         */
        byte[] claim(ByteBuffer records) {
            if (records == null || !records.hasArray()) {
                return null;
            }
            byte[] array = records.array();
            synchronized (ReadBufferPool.this) {
                if (lent.get(array) != this) {
                    return null;
                }
                lent.remove(array);
                return array;
            }
        }
    }

    private byte[] take(int size) {
        synchronized (this) {
            int best = -1;
            for (int i = 0; i < free.size(); i++) {
                int length = free.get(i).length;
                if (length >= size && (best < 0 || length < free.get(best).length)) {
                    best = i;
                }
            }
            if (best >= 0) {
                byte[] array = free.remove(best);
                keptBytes -= array.length;
                return array;
            }
        }
        // Outside the lock: zeroing a large array takes a while.
        return new byte[size <= maxArrayBytes ? roundUp(Math.max(MIN_BYTES, size)) : size];
    }

    /**
     * Takes back an array {@linkplain Lease#claim claimed} from an answer, once no record, view or iterator reads it
     * any more. Kept for another fetch if it fits the budget, else left to the collector.
     */
    void give(byte[] array) {
        if (array.length > maxArrayBytes) {
            return;
        }
        synchronized (this) {
            if (keptBytes + array.length <= maxKeptBytes) {
                free.add(array);
                keptBytes += array.length;
            }
        }
    }

    /** Free arrays (tests). */
    synchronized int freeArrays() {
        return free.size();
    }

    private static int roundUp(int size) {
        int rounded = Integer.highestOneBit(size);
        return rounded == size || rounded >= 1 << 30 ? size : rounded << 1;
    }
}
