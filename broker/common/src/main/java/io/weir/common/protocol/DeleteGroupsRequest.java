package io.weir.common.protocol;

import java.util.List;

/** Deletes groups and their committed offsets; a group with active members is refused with NON_EMPTY_GROUP. */
public record DeleteGroupsRequest(List<String> groupIds) {
    public DeleteGroupsRequest {
        groupIds = List.copyOf(groupIds);
    }
}
