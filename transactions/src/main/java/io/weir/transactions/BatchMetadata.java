package io.weir.transactions;

/**
 * What a partition remembers of one appended batch of an idempotent producer: enough to recognise a resend
 * of it and to acknowledge that resend with the offsets the original got. The producer epoch is kept once
 * per {@link ProducerStateEntry}, because an epoch change empties the cache.
 *
 * @param firstSeq     the batch's base sequence
 * @param lastSeq      its last sequence; below {@code firstSeq} when the batch wraps past Integer.MAX_VALUE
 * @param firstOffset  offset the broker assigned to its first record
 * @param lastOffset   offset of its last record
 * @param maxTimestamp its largest record timestamp, returned with a duplicate's acknowledgement
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long maxTimestamp) {

    /** @throws IllegalArgumentException on a negative sequence or offset, or offsets that run backwards */
    public BatchMetadata {
        if (firstSeq < 0 || lastSeq < 0) {
            throw new IllegalArgumentException("sequences must not be negative: " + firstSeq + ".." + lastSeq);
        }
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("bad offset range " + firstOffset + ".." + lastOffset);
        }
    }

    /** Whether a batch with these sequences is a resend of this one: both ends must match exactly. */
    public boolean hasSequences(int first, int last) {
        return firstSeq == first && lastSeq == last;
    }
}
