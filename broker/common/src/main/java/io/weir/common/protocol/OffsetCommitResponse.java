package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/** One result per partition of the request. */
public record OffsetCommitResponse(Map<TopicPartition, ApiError> results) {
    public OffsetCommitResponse {
        results = Map.copyOf(results);
    }
}
