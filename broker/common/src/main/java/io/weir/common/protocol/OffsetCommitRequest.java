package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * Stores a group's positions. A member of a generation sends its generation id and member id, and the broker
 * refuses the commit when either is stale; a consumer with manual assignment (or an admin tool) sends
 * generation -1 and an empty member id, which only an empty group accepts.
 */
public record OffsetCommitRequest(
        String groupId,
        int generationId,
        String memberId,
        String groupInstanceId,
        Map<TopicPartition, CommittedOffset> offsets) {
    public OffsetCommitRequest {
        offsets = Map.copyOf(offsets);
    }

    /**
     * @param leaderEpoch -1 when unknown
     * @param metadata    free text stored with the offset, never null (empty instead)
     */
    public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {}
}
