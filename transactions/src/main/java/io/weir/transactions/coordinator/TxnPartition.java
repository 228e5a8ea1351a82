package io.weir.transactions.coordinator;

import java.util.Objects;

/**
 * A partition that takes part in a transaction. This module knows nothing of the broker, so it has its own
 * topic-partition pair; the broker's {@code TopicPartition} maps to it one to one.
 */
public record TxnPartition(String topic, int partition) implements Comparable<TxnPartition> {
    public TxnPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " of topic " + topic + " is negative");
        }
    }

    @Override
    public int compareTo(TxnPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    /** Kafka's spelling, {@code topic-partition}. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
