package io.weir.common.protocol;

import java.util.Map;

/** Per topic name: success, or why it was not created. */
public record CreateTopicsResponse(Map<String, ApiError> results) {}
