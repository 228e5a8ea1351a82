package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;

/**
 * What the coordinator writes to the offsets topic. Each record is keyed so that a compacted topic keeps the
 * latest per key: one key per (group, partition) offset, one per group for its metadata. A null value is a
 * tombstone.
 */
public sealed interface GroupRecord {
    String groupId();

    /** A committed offset, or its removal when {@code value} is null. */
    record OffsetCommit(String groupId, TopicPartition partition, CommittedOffset value) implements GroupRecord {}

    /** A group's generation and strategy when a rebalance completes, or the group's deletion when null. */
    record GroupMetadata(String groupId, Value value) implements GroupRecord {
        public record Value(
                String protocolType, int generationId, String protocolName, String leaderId, long stateTimestampMs) {}
    }
}
