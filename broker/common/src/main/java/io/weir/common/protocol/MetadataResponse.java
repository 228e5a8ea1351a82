package io.weir.common.protocol;

import java.util.Map;

/** Per topic: its error (unknown, invalid name) or its partition count and configuration. */
public record MetadataResponse(int brokerId, String clusterId, Map<String, TopicMetadata> topics) {

    public record TopicMetadata(ApiError error, String topic, int partitions, Map<String, String> configs) {}
}
