package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/** Per partition: the offset given to the first record of the batch, or the error that refused it. */
public record ProduceResponse(Map<TopicPartition, PartitionResponse> partitions) {

    /** {@code baseOffset} is -1 on error and for acks=0. */
    public record PartitionResponse(ApiError error, long baseOffset, long logAppendTime, long logStartOffset) {
        public static PartitionResponse error(ApiError error) {
            return new PartitionResponse(error, -1L, -1L, -1L);
        }
    }
}
