package io.weir.common.protocol;

import java.util.List;

/** The resources whose every configuration key is wanted (Kafka's DescribeConfigs, all keys). */
public record DescribeConfigsRequest(List<ConfigResourceKey> resources) {
    public DescribeConfigsRequest {
        resources = List.copyOf(resources);
    }
}
