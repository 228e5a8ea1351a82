package io.weir.broker.internals.log;

/**
 * What an append did: the offsets given to the batches, their largest timestamp and size. A resend the
 * producer state recognised as a duplicate wrote nothing: it reports the original batch's offsets and
 * timestamp with {@code bytes} 0.
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, int records, int bytes) {

    /** Whether this acknowledges a resend with its original's offsets rather than an append. */
    public boolean isDuplicate() {
        return bytes == 0;
    }
}
