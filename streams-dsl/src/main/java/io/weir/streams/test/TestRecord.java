package io.weir.streams.test;

import io.weir.common.record.Header;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A record piped into or read from a {@code TopologyTestDriver} topic, as Kafka's {@code TestRecord}. A null record
 * time means "the input topic's current time" when piped in. Immutable as far as its key and value are.
 */
public final class TestRecord<K, V> {
    private final K key;
    private final V value;
    private final List<Header> headers;
    private final Instant recordTime;

    public TestRecord(K key, V value, List<Header> headers, Instant recordTime) {
        this.key = key;
        this.value = value;
        this.headers = headers == null ? List.of() : List.copyOf(headers);
        this.recordTime = recordTime;
    }

    public TestRecord(K key, V value, Instant recordTime) {
        this(key, value, List.of(), recordTime);
    }

    public TestRecord(K key, V value) {
        this(key, value, List.of(), null);
    }

    public TestRecord(V value) {
        this(null, value);
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    public List<Header> headers() {
        return headers;
    }

    /** The timestamp, or null if none was set. */
    public Instant getRecordTime() {
        return recordTime;
    }

    /** The timestamp in epoch milliseconds, or null if none was set. */
    public Long timestamp() {
        return recordTime == null ? null : recordTime.toEpochMilli();
    }

    public K getKey() {
        return key;
    }

    public V getValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestRecord<?, ?> r
                && Objects.equals(key, r.key)
                && Objects.equals(value, r.value)
                && headers.equals(r.headers)
                && Objects.equals(recordTime, r.recordTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, headers, recordTime);
    }

    @Override
    public String toString() {
        return "TestRecord[key=" + key + ", value=" + value + ", recordTime=" + recordTime + "]";
    }
}
