package io.weir.common.protocol;

import java.util.Map;

public record DeleteGroupsResponse(Map<String, ApiError> results) {
    public DeleteGroupsResponse {
        results = Map.copyOf(results);
    }
}
