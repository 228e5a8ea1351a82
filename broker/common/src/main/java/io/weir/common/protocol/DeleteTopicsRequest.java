package io.weir.common.protocol;

import java.util.List;

public record DeleteTopicsRequest(List<String> topics) {}
