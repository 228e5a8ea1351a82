package io.weir.broker.protocol;

import io.weir.broker.TopicPartition;
import java.util.List;

/** Reads a group's committed offsets: of the listed partitions, or of all when {@code partitions} is null. */
public record OffsetFetchRequest(String groupId, List<TopicPartition> partitions) {
    public OffsetFetchRequest {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
