package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * Per partition, the offset before which every record is to be deleted (Kafka's DeleteRecords): the partition's
 * log start offset moves up to it. {@link #HIGH_WATERMARK} stands for the partition's high watermark, so
 * everything readable now goes.
 */
public record DeleteRecordsRequest(Map<TopicPartition, Long> beforeOffsets) {
    /** Delete every record below the high watermark (Kafka's {@code DeleteRecordsRequest.HIGH_WATERMARK}). */
    public static final long HIGH_WATERMARK = -1L;

    public DeleteRecordsRequest {
        beforeOffsets = Map.copyOf(beforeOffsets);
    }
}
