package io.weir.clients.producer;

import io.weir.common.errors.InvalidTimestampException;
import io.weir.common.record.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record to send: the topic, optionally a partition (otherwise the partitioner picks one), optionally a
 * timestamp (otherwise the time of {@code send}), a key, a value and headers. Immutable; the key and value
 * objects are the caller's and are serialized by {@code send}.
 *
 * @throws InvalidTimestampException if {@code timestamp} is negative, naming it
 * @throws IllegalArgumentException if {@code partition} is negative
 */
public record ProducerRecord<K, V>(
        String topic, Integer partition, Long timestamp, K key, V value, List<Header> headers) {

    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        if (timestamp != null && timestamp < 0) {
            throw new InvalidTimestampException("Invalid timestamp " + timestamp + " for a record to topic '" + topic
                    + "': timestamps must be >= 0 (or null for the time of send)");
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("Invalid partition " + partition + " for a record to topic '" + topic
                    + "': partitions are numbered from 0");
        }
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value) {
        this(topic, partition, timestamp, key, value, List.of());
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, List.of());
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, List.of());
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, List.of());
    }
}
