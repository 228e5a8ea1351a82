package io.weir.common.protocol;

import java.util.Map;

/** Per resource of the request: success, or why nothing of it was changed. */
public record IncrementalAlterConfigsResponse(Map<ConfigResourceKey, ApiError> results) {
    public IncrementalAlterConfigsResponse {
        results = Map.copyOf(results);
    }
}
