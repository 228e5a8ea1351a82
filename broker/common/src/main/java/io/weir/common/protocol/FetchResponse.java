package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Per partition: whole record batches starting at or before the fetch offset (a reader skips the records
 * before its position), the high watermark, the last stable offset and the log start offset.
 * {@code abortedTransactions} lists the transactions aborted within the returned range, for
 * read_committed readers.
 */
public record FetchResponse(Map<TopicPartition, PartitionData> partitions) {

    public record PartitionData(
            ApiError error,
            long highWatermark,
            long lastStableOffset,
            long logStartOffset,
            ByteBuffer records,
            List<AbortedTransaction> abortedTransactions) {
        public static PartitionData error(ApiError error) {
            return new PartitionData(error, -1L, -1L, -1L, ByteBuffer.allocate(0), List.of());
        }
    }

    public record AbortedTransaction(long producerId, long firstOffset) {}
}
