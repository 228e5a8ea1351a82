package io.weir.streams;

import io.weir.common.TopicPartition;
import io.weir.streams.state.HostInfo;
import java.util.Set;

/**
 * One instance of the application as the group's last assignment describes it, as Kafka Streams'
 * {@code StreamsMetadata}: where it answers queries, which stores it hosts and which input partitions it owns.
 */
public record StreamsMetadata(HostInfo hostInfo, Set<String> stateStoreNames, Set<TopicPartition> topicPartitions) {
    public StreamsMetadata {
        stateStoreNames = Set.copyOf(stateStoreNames);
        topicPartitions = Set.copyOf(topicPartitions);
    }

    public String host() {
        return hostInfo.host();
    }

    public int port() {
        return hostInfo.port();
    }
}
