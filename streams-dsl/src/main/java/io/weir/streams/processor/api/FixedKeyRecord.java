package io.weir.streams.processor.api;

import io.weir.common.record.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record whose key a processor cannot change, as Kafka Streams' {@code FixedKeyRecord}: what
 * {@code KStream.processValues} hands its processor, so the stream keeps its partitioning and no repartition
 * follows. Made by the runtime only; immutable, the {@code with*} methods return copies.
 */
public final class FixedKeyRecord<K, V> {
    private final K key;
    private final V value;
    private final long timestamp;
    private final List<Header> headers;

    FixedKeyRecord(K key, V value, long timestamp, List<Header> headers) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    public long timestamp() {
        return timestamp;
    }

    public List<Header> headers() {
        return headers;
    }

    public <NewV> FixedKeyRecord<K, NewV> withValue(NewV newValue) {
        return new FixedKeyRecord<>(key, newValue, timestamp, headers);
    }

    /** @throws IllegalArgumentException if {@code newTimestamp} is negative */
    public FixedKeyRecord<K, V> withTimestamp(long newTimestamp) {
        if (newTimestamp < 0) {
            throw new IllegalArgumentException("Timestamp " + newTimestamp + " of a record is negative");
        }
        return new FixedKeyRecord<>(key, value, newTimestamp, headers);
    }

    public FixedKeyRecord<K, V> withHeaders(List<Header> newHeaders) {
        return new FixedKeyRecord<>(key, value, timestamp, newHeaders);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedKeyRecord<?, ?> r
                && Objects.equals(key, r.key)
                && Objects.equals(value, r.value)
                && timestamp == r.timestamp
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, timestamp, headers);
    }

    @Override
    public String toString() {
        return "FixedKeyRecord(key=" + key + ", value=" + value + ", timestamp=" + timestamp + ")";
    }
}
