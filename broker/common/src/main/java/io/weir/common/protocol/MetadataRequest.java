package io.weir.common.protocol;

import java.util.List;

/**
 * Asks for the partition counts of {@code topics}, or of every topic when {@code topics} is null.
 * With {@code allowAutoTopicCreation} a missing topic is created when the broker's
 * {@code auto.create.topics.enable} allows it.
 */
public record MetadataRequest(List<String> topics, boolean allowAutoTopicCreation) {
    public static MetadataRequest allTopics() {
        return new MetadataRequest(null, false);
    }
}
