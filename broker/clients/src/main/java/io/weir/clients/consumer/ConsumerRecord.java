package io.weir.clients.consumer;

import io.weir.common.record.Header;
import java.util.List;

/**
 * A record read by a {@link Consumer}: where it is (topic, partition, offset), its timestamp and whether that
 * is the producer's create time or the broker's append time, the sizes of its serialized key and value
 * ({@code -1} for null), the deserialized key and value, and its headers. Immutable as far as the key and
 * value objects are.
 */
public record ConsumerRecord<K, V>(
        String topic,
        int partition,
        long offset,
        long timestamp,
        TimestampType timestampType,
        int serializedKeySize,
        int serializedValueSize,
        K key,
        V value,
        List<Header> headers) {

    public enum TimestampType {
        CREATE_TIME,
        LOG_APPEND_TIME
    }

    public ConsumerRecord {
        headers = headers == null ? List.of() : headers;
    }
}
