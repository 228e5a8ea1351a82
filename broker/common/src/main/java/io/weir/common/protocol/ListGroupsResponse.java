package io.weir.common.protocol;

import java.util.List;

/** Every group the coordinator knows, with its protocol type and state. */
public record ListGroupsResponse(ApiError error, List<ListedGroup> groups) {
    public ListGroupsResponse {
        groups = List.copyOf(groups);
    }

    public record ListedGroup(String groupId, String protocolType, String state) {}
}
