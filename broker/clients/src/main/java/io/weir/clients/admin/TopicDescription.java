package io.weir.clients.admin;

import io.weir.common.PartitionInfo;
import java.util.List;
import java.util.Map;

/** What {@link Admin#describeTopics} reports for one topic: its partitions and its effective configuration. */
public record TopicDescription(String name, List<PartitionInfo> partitions, Map<String, String> configs) {

    public TopicDescription {
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
    }

    public int partitionCount() {
        return partitions.size();
    }
}
