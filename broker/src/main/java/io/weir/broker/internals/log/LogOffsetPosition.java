package io.weir.broker.internals.log;

/**
 * An offset together with where it falls on disk: the base offset of its segment and the byte position in
 * that segment's file. The high watermark is published as one of these, so a reader gets both the offset
 * limit and the byte limit from one volatile read.
 */
record LogOffsetPosition(long offset, long segmentBaseOffset, int position) {
}
