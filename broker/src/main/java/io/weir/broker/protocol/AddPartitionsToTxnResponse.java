package io.weir.broker.protocol;

import io.weir.broker.TopicPartition;
import java.util.Map;

/** One result per partition of the request; the coordinator accepts all of them or none. */
public record AddPartitionsToTxnResponse(Map<TopicPartition, ApiError> results) {
    public AddPartitionsToTxnResponse {
        results = Map.copyOf(results);
    }
}
