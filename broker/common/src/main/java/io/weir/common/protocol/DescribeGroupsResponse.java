package io.weir.common.protocol;

import java.util.List;

/** Per group: state, strategy and members with their subscription and assignment bytes. */
public record DescribeGroupsResponse(List<DescribedGroup> groups) {
    public DescribeGroupsResponse {
        groups = List.copyOf(groups);
    }

    public record DescribedGroup(
            ApiError error,
            String groupId,
            String state,
            String protocolType,
            String protocolName,
            int generationId,
            String leaderId,
            List<DescribedMember> members) {
        public DescribedGroup {
            members = List.copyOf(members);
        }
    }

    public record DescribedMember(
            String memberId, String groupInstanceId, String clientId, byte[] metadata, byte[] assignment) {}
}
