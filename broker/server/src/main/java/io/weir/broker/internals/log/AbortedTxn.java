package io.weir.broker.internals.log;

/**
 * One aborted transaction of a partition, as its segment's transaction index stores it (Kafka's AbortedTxn).
 * A read_committed reader skips the producer's transactional batches from {@code firstOffset} up to the
 * ABORT marker at {@code lastOffset}.
 *
 * @param producerId       the producer whose transaction aborted
 * @param firstOffset      offset of the transaction's first batch on this partition
 * @param lastOffset       offset of its ABORT marker
 * @param lastStableOffset the partition's first unstable offset once the marker was written (the marker's
 *                         offset + 1 if no other transaction was open): every transaction still open then
 *                         started at or after it, which lets a search stop early
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {

    /** @throws IllegalArgumentException if the offsets are negative or run backwards */
    public AbortedTxn {
        if (firstOffset < 0 || lastOffset <= firstOffset || lastStableOffset < 0) {
            throw new IllegalArgumentException("bad aborted transaction of producer " + producerId + ": offsets "
                    + firstOffset + ".." + lastOffset + ", last stable offset " + lastStableOffset);
        }
    }
}
