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

    // equals and hashCode by hand: a record's generated ones link through an invokedynamic bootstrap
    // (ObjectMethods) on first use, about 10 ms of a cold broker open, which keys its maps by partition. Same
    // values as the generated ones (31 * topic hash + partition), so no map's order changes.
    @Override
    public boolean equals(Object o) {
        return o instanceof TopicPartition other && partition == other.partition && topic.equals(other.topic);
    }

    @Override
    public int hashCode() {
        return 31 * topic.hashCode() + partition;
    }

    /** Kafka's spelling, {@code topic-partition}, which is also the partition's directory name. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
