package io.weir.broker.protocol;

import io.weir.broker.TopicPartition;
import java.util.Map;

/** Per producer id of the request, one result per partition. */
public record WriteTxnMarkersResponse(Map<Long, Map<TopicPartition, ApiError>> results) {
    public WriteTxnMarkersResponse {
        results = Map.copyOf(results);
    }
}
