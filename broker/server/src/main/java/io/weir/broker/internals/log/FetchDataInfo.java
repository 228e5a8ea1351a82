package io.weir.broker.internals.log;

import java.nio.ByteBuffer;

/** Batches read from a partition, with the partition's offsets at the time of the read. */
public record FetchDataInfo(
        ByteBuffer batches, long highWatermark, long lastStableOffset, long logStartOffset, long logEndOffset) {}
