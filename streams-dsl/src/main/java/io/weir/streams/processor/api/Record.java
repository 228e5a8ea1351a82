package io.weir.streams.processor.api;

import io.weir.common.record.Header;
import java.util.List;
import java.util.Objects;

/**
 * A record as processors see it: key, value, timestamp and headers, as Kafka Streams' {@code Record}. Immutable;
 * the {@code with*} methods return a copy with one part changed, which is how a processor forwards a result.
 */
public final class Record<K, V> {
    private final K key;
    private final V value;
    private final long timestamp;
    private final List<Header> headers;

    /**
     * @throws IllegalArgumentException if {@code timestamp} is negative
     */
    public Record(K key, V value, long timestamp, List<Header> headers) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("Timestamp " + timestamp + " of a record is negative");
        }
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public Record(K key, V value, long timestamp) {
        this(key, value, timestamp, List.of());
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

    public <NewK> Record<NewK, V> withKey(NewK newKey) {
        return new Record<>(newKey, value, timestamp, headers);
    }

    public <NewV> Record<K, NewV> withValue(NewV newValue) {
        return new Record<>(key, newValue, timestamp, headers);
    }

    public Record<K, V> withTimestamp(long newTimestamp) {
        return new Record<>(key, value, newTimestamp, headers);
    }

    public Record<K, V> withHeaders(List<Header> newHeaders) {
        return new Record<>(key, value, timestamp, newHeaders);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record<?, ?> r
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
        return "Record(key=" + key + ", value=" + value + ", timestamp=" + timestamp + ")";
    }
}
