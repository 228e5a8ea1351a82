package io.weir.common.protocol;

import java.util.Map;

public record CreatePartitionsResponse(Map<String, ApiError> results) {}
