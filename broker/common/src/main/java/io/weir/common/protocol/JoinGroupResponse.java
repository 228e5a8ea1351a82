package io.weir.common.protocol;

import java.util.List;

/**
 * The outcome of a join: the new generation, the chosen strategy, who leads, and (for the leader only) every
 * member with its subscription bytes, from which the leader computes the assignment it sends in
 * {@link SyncGroupRequest}.
 */
public record JoinGroupResponse(
        ApiError error, int generationId, String protocolName, String leaderId, String memberId, List<Member> members) {

    public JoinGroupResponse {
        members = List.copyOf(members);
    }

    public static JoinGroupResponse error(ApiError error, String memberId) {
        return new JoinGroupResponse(error, -1, null, null, memberId, List.of());
    }

    public boolean isLeader() {
        return memberId != null && memberId.equals(leaderId);
    }

    public record Member(String memberId, String groupInstanceId, byte[] metadata) {}
}
