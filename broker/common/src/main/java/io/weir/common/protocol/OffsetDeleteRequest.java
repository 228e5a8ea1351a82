package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.List;

/**
 * Deletes a group's committed offsets for some partitions (Kafka's OffsetDelete). Allowed for a group without
 * members; for a consumer group with members, only for partitions of topics none of them subscribes to (the
 * others are refused with GROUP_SUBSCRIBED_TO_TOPIC); a group of another protocol type with members is refused
 * whole with NON_EMPTY_GROUP.
 */
public record OffsetDeleteRequest(String groupId, List<TopicPartition> partitions) {
    public OffsetDeleteRequest {
        partitions = List.copyOf(partitions);
    }
}
