package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/** One result per partition of the request. */
public record TxnOffsetCommitResponse(Map<TopicPartition, ApiError> results) {
    public TxnOffsetCommitResponse {
        results = Map.copyOf(results);
    }
}
