package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/** One result per partition of the request; the coordinator accepts all of them or none. */
public record AddPartitionsToTxnResponse(Map<TopicPartition, ApiError> results) {
    public AddPartitionsToTxnResponse {
        results = Map.copyOf(results);
    }
}
