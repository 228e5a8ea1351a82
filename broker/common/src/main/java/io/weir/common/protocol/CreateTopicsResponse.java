package io.weir.common.protocol;

import java.util.Map;

/**
 * Per topic name: success, or why it was not created.
 *
 * @param partitions per topic created (or, with validate-only, that would be created): its partition count, the
 *                   broker's {@code num.partitions} where the request asked for the default
 */
public record CreateTopicsResponse(Map<String, ApiError> results, Map<String, Integer> partitions) {
    public CreateTopicsResponse {
        partitions = Map.copyOf(partitions);
    }

    /** Results without partition counts. */
    public CreateTopicsResponse(Map<String, ApiError> results) {
        this(results, Map.of());
    }
}
