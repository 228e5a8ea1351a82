package io.weir.clients.producer.internals;

import io.weir.clients.producer.Callback;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Recycled storage for the callbacks of a {@link ProducerBatch}: for each record sent with a callback, the
 * callback and what its {@link io.weir.clients.producer.RecordMetadata} will need (offset in the batch, timestamp,
 * key and value sizes), in parallel arrays. A batch takes a {@link Slots} when its first record with a callback
 * arrives and gives it back, cleared, once the callbacks have run.
 *
 * <p>Why not keep each record's future: a batch waits in the accumulator for as long as {@code buffer.memory}
 * lets the queue grow, and everything it references is copied by every young collection meanwhile and then
 * promoted. Keeping primitives in recycled arrays leaves the user's callback as the only per-record object a
 * queued batch holds; the future, if the caller drops it, dies young.
 *
 * <p>At most {@code maxKept} slots are kept (as many as batches can exist at once); more are left to the
 * collector. Thread-safe: producer threads take (under their partition's lock), the sender thread gives.
 */
final class ThunkArrays {
    private static final int INITIAL_CAPACITY = 16;

    /** One batch's callbacks; confined to whichever thread owns the batch. */
    static final class Slots {
        Callback[] callbacks = new Callback[INITIAL_CAPACITY];
        int[] offsets = new int[INITIAL_CAPACITY];
        long[] timestamps = new long[INITIAL_CAPACITY];
        int[] keySizes = new int[INITIAL_CAPACITY];
        int[] valueSizes = new int[INITIAL_CAPACITY];
        int count;

        void add(Callback callback, int offset, long timestamp, int keySize, int valueSize) {
            if (count == callbacks.length) {
                int grown = count * 2;
                callbacks = Arrays.copyOf(callbacks, grown);
                offsets = Arrays.copyOf(offsets, grown);
                timestamps = Arrays.copyOf(timestamps, grown);
                keySizes = Arrays.copyOf(keySizes, grown);
                valueSizes = Arrays.copyOf(valueSizes, grown);
            }
            callbacks[count] = callback;
            offsets[count] = offset;
            timestamps[count] = timestamp;
            keySizes[count] = keySize;
            valueSizes[count] = valueSize;
            count++;
        }
    }

    private final int maxKept;
    /** Guarded by itself. */
    private final ArrayDeque<Slots> free = new ArrayDeque<>();

    ThunkArrays(int maxKept) {
        this.maxKept = maxKept;
    }

    /** Empty slots, kept at whatever size they grew to. */
    Slots take() {
        Slots slots;
        synchronized (free) {
            slots = free.pollLast();
        }
        return slots != null ? slots : new Slots();
    }

    /** Drops the callbacks and keeps the slots for another batch, if there is room for them. */
    void give(Slots slots) {
        Arrays.fill(slots.callbacks, 0, slots.count, null);
        slots.count = 0;
        synchronized (free) {
            if (free.size() < maxKept) {
                free.addLast(slots);
            }
        }
    }

    /** Slots kept for reuse (tests). */
    int kept() {
        synchronized (free) {
            return free.size();
        }
    }
}
