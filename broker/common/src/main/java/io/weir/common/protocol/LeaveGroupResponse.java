package io.weir.common.protocol;

import java.util.List;

/** A group-level error, and one result per member asked to leave. */
public record LeaveGroupResponse(ApiError error, List<MemberResponse> members) {
    public LeaveGroupResponse {
        members = List.copyOf(members);
    }

    public record MemberResponse(String memberId, String groupInstanceId, ApiError error) {}
}
