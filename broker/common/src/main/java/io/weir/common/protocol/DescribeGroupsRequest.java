package io.weir.common.protocol;

import java.util.List;

public record DescribeGroupsRequest(List<String> groupIds) {
    public DescribeGroupsRequest {
        groupIds = List.copyOf(groupIds);
    }
}
