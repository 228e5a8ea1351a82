package io.weir.broker.protocol;

import java.util.Map;

public record DeleteTopicsResponse(Map<String, ApiError> results) {
}
