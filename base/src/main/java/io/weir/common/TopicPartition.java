package io.weir.common;

import java.util.Objects;

/** A topic name and a partition number: the unit of ordering, storage and assignment. */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    /** Kafka's spelling, {@code topic-partition}, which is also the partition's directory name. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
