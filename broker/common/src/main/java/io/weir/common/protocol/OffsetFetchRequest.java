package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.List;

/**
 * Reads a group's committed offsets: of the listed partitions, or of all when {@code partitions} is null.
 * With {@code requireStable} (Kafka's KIP-447, sent by {@code read_committed} consumers) a partition whose
 * offset an open transaction is about to change is answered {@code UNSTABLE_OFFSET_COMMIT} instead.
 */
public record OffsetFetchRequest(String groupId, List<TopicPartition> partitions, boolean requireStable) {
    public OffsetFetchRequest {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }

    /** A fetch that takes the committed offsets as they are, pending transactions or not. */
    public OffsetFetchRequest(String groupId, List<TopicPartition> partitions) {
        this(groupId, partitions, false);
    }
}
