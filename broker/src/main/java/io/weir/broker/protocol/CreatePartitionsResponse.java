package io.weir.broker.protocol;

import java.util.Map;

public record CreatePartitionsResponse(Map<String, ApiError> results) {
}
