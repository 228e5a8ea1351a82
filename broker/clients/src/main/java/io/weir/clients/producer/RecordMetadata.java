package io.weir.clients.producer;

import io.weir.common.TopicPartition;

/**
 * Where a sent record landed: its partition, its offset ({@code -1} with {@code acks=0}, which does not wait
 * to learn it), its timestamp (the one it was sent with, or the broker's append time for topics with
 * {@code message.timestamp.type=LogAppendTime}) and the sizes of its serialized key and value ({@code -1}
 * for null).
 */
public record RecordMetadata(
        TopicPartition topicPartition, long offset, long timestamp, int serializedKeySize, int serializedValueSize) {

    public String topic() {
        return topicPartition.topic();
    }

    public int partition() {
        return topicPartition.partition();
    }

    public boolean hasOffset() {
        return offset >= 0;
    }
}
