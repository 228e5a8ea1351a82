package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/** Per producer id of the request, one result per partition. */
public record WriteTxnMarkersResponse(Map<Long, Map<TopicPartition, ApiError>> results) {
    public WriteTxnMarkersResponse {
        results = Map.copyOf(results);
    }
}
