package io.weir.broker.internals.log;

/**
 * What a log's writer publishes to readers in one volatile write: the high watermark with where it falls on
 * disk (the base offset of its segment and the byte position in that segment's file) and the last stable
 * offset. A reader gets the offset limit, the byte limit and the read_committed limit from one read, so the
 * three always belong to the same moment. Public so that a group commit ({@code internals.write}) can carry a
 * log's offsets from the end of a ring batch to their publication after the sync.
 *
 * @param lastStableOffset the first offset of the oldest open transaction, or the high watermark if that is
 *                         lower or no transaction is open; never below the log start
 */
public record PublishedOffsets(long highWatermark, long segmentBaseOffset, int position, long lastStableOffset) {}
