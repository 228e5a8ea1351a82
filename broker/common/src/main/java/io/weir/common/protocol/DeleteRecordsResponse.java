package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * Per partition: its low watermark — the log start offset once the records were deleted, durably — or the error
 * that refused the deletion: UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE (an offset past the high watermark,
 * or negative other than {@link DeleteRecordsRequest#HIGH_WATERMARK}), POLICY_VIOLATION (a compact-only topic),
 * KAFKA_STORAGE_ERROR. An offset at or below the log start deletes nothing and answers the current log start.
 */
public record DeleteRecordsResponse(Map<TopicPartition, PartitionResult> partitions) {
    public DeleteRecordsResponse {
        partitions = Map.copyOf(partitions);
    }

    /** @param lowWatermark the log start offset after the call; -1 with an error */
    public record PartitionResult(ApiError error, long lowWatermark) {
        public static PartitionResult error(ApiError error) {
            return new PartitionResult(error, -1L);
        }
    }
}
