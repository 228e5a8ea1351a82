package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/** Per partition: the offset found (-1 when no record matches the timestamp) and its record's timestamp. */
public record ListOffsetsResponse(Map<TopicPartition, PartitionOffset> partitions) {

    public record PartitionOffset(ApiError error, long offset, long timestamp) {}
}
