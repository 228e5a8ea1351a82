package io.weir.broker.internals.log;

/** What an append did: the offsets given to the batches, their largest timestamp and size. */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, int records, int bytes) {
}
