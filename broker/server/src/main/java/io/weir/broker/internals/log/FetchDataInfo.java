package io.weir.broker.internals.log;

import io.weir.common.record.FileBatches;
import java.nio.ByteBuffer;

/**
 * Batches read from a partition, with the partition's offsets at the time of the read. The batches are either in
 * {@code batches} or, for a {@link ReadMode#FILE_SLICE} read, left in the segment file as {@code onDisk} (then
 * {@code batches} is empty).
 */
public record FetchDataInfo(
        ByteBuffer batches,
        long highWatermark,
        long lastStableOffset,
        long logStartOffset,
        long logEndOffset,
        FileBatches onDisk) {

    /** The bytes of the batches returned, wherever they lie. */
    public int sizeInBytes() {
        return onDisk != null ? onDisk.size() : batches.remaining();
    }
}
