package io.weir.common.protocol;

import java.util.List;

/** Removes members from a group at once, so the others rebalance without waiting for a session timeout. */
public record LeaveGroupRequest(String groupId, List<MemberIdentity> members) {
    public LeaveGroupRequest {
        members = List.copyOf(members);
    }

    /** A member by id, or a static member by {@code groupInstanceId} (then {@code memberId} may be empty). */
    public record MemberIdentity(String memberId, String groupInstanceId, String reason) {}
}
