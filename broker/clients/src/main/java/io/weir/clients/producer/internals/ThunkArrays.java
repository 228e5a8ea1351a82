package io.weir.clients.producer.internals;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Recycled arrays for the (callback, future) pairs of a {@link ProducerBatch}: a batch takes one when its first
 * record with a callback arrives and gives it back, cleared, once its callbacks have run. A list of pair objects
 * per batch cost about 40 bytes per record sent with a callback; these cost nothing once the producer is warm.
 * An array that grew is kept at its new size, so the kept arrays converge on what a full batch needs.
 *
 * <p>At most {@code maxKept} arrays are kept (as many as batches can exist at once); more are left to the
 * collector. Thread-safe: producer threads take (under their partition's lock), the sender thread gives.
 */
final class ThunkArrays {
    /** Room for 16 pairs. */
    private static final int INITIAL_LENGTH = 32;

    private final int maxKept;
    /** Guarded by itself. */
    private final ArrayDeque<Object[]> free = new ArrayDeque<>();

    ThunkArrays(int maxKept) {
        this.maxKept = maxKept;
    }

    /** An array of even length, all null. */
    Object[] take() {
        Object[] array;
        synchronized (free) {
            array = free.pollLast();
        }
        return array != null ? array : new Object[INITIAL_LENGTH];
    }

    /** A copy of {@code full} with twice the room; {@code full} is left to the collector. */
    static Object[] grow(Object[] full) {
        return Arrays.copyOf(full, full.length * 2);
    }

    /** Clears the first {@code used} slots and keeps the array for another batch, if there is room for it. */
    void give(Object[] array, int used) {
        Arrays.fill(array, 0, used, null);
        synchronized (free) {
            if (free.size() < maxKept) {
                free.addLast(array);
            }
        }
    }

    /** Arrays kept for reuse (tests). */
    int kept() {
        synchronized (free) {
            return free.size();
        }
    }
}
