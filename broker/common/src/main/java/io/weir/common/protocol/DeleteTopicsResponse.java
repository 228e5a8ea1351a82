package io.weir.common.protocol;

import java.util.Map;

public record DeleteTopicsResponse(Map<String, ApiError> results) {}
