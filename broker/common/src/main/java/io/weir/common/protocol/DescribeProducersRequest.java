package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.List;

public record DescribeProducersRequest(List<TopicPartition> partitions) {
    public DescribeProducersRequest {
        partitions = List.copyOf(partitions);
    }
}
