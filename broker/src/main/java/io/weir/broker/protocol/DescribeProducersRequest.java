package io.weir.broker.protocol;

import io.weir.broker.TopicPartition;
import java.util.List;

public record DescribeProducersRequest(List<TopicPartition> partitions) {
    public DescribeProducersRequest {
        partitions = List.copyOf(partitions);
    }
}
