package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * The topic does not exist, or it has no partition with that number. The message names both.
 *
 * <p>Where the broker raises it, {@link #topic()} names the topic and {@link #partition()} the partition (-1
 * when the whole topic is missing); an exception a client rebuilt from the error code, or raised itself,
 * carries them in its message only (null and -1 here).
 */
public class UnknownTopicOrPartitionException extends WeirException {
    private final String topic;
    private final int partition;

    /** As a client rebuilds it from an error code and message: the context is in the message only. */
    public UnknownTopicOrPartitionException(String message) {
        this(message, null);
    }

    public UnknownTopicOrPartitionException(String message, Throwable cause) {
        this(message, cause, null, -1);
    }

    private UnknownTopicOrPartitionException(String message, Throwable cause, String topic, int partition) {
        super(message, cause);
        this.topic = topic;
        this.partition = partition;
    }

    /** The broker has no topic {@code topic}. */
    public static UnknownTopicOrPartitionException unknownTopic(String topic) {
        return new UnknownTopicOrPartitionException("Topic '" + topic + "' does not exist", null, topic, -1);
    }

    /** The topic exists with {@code partitionCount} partitions, none of them {@code topicPartition}'s. */
    public static UnknownTopicOrPartitionException unknownPartition(TopicPartition topicPartition, int partitionCount) {
        return new UnknownTopicOrPartitionException(
                "Partition " + topicPartition.partition() + " of topic '"
                        + topicPartition.topic() + "' does not exist: the topic has " + partitionCount
                        + " partitions (0.."
                        + (partitionCount - 1) + ")",
                null,
                topicPartition.topic(),
                topicPartition.partition());
    }

    public String topic() {
        return topic;
    }

    /** -1 when the whole topic is missing, or the context is unknown. */
    public int partition() {
        return partition;
    }
}
