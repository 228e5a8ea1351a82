package io.weir.broker.protocol;

import java.util.List;

public record DeleteTopicsRequest(List<String> topics) {
}
