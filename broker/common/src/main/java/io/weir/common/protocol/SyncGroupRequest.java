package io.weir.common.protocol;

import java.util.Map;

/**
 * Second half of a rebalance: the leader sends every member's assignment, the others send an empty map and
 * wait for theirs.
 */
public record SyncGroupRequest(
        String groupId,
        int generationId,
        String memberId,
        String groupInstanceId,
        String protocolType,
        String protocolName,
        Map<String, byte[]> assignments) {
    public SyncGroupRequest {
        assignments = Map.copyOf(assignments);
    }
}
