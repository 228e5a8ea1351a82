package io.weir.streams.state;

import java.util.Objects;

/**
 * A value with the timestamp of the record that last set it, as a DSL table's store keeps it (Kafka Streams'
 * {@code ValueAndTimestamp}): an aggregate's result carries the newest timestamp of the records it reflects.
 */
public final class ValueAndTimestamp<V> {
    private final V value;
    private final long timestamp;

    private ValueAndTimestamp(V value, long timestamp) {
        this.value = Objects.requireNonNull(value, "value");
        this.timestamp = timestamp;
    }

    /** The pair, or null for a null value (a table has no entry for a deleted key). */
    public static <V> ValueAndTimestamp<V> make(V value, long timestamp) {
        return value == null ? null : new ValueAndTimestamp<>(value, timestamp);
    }

    /** The value of {@code valueAndTimestamp}, or null. */
    public static <V> V getValueOrNull(ValueAndTimestamp<V> valueAndTimestamp) {
        return valueAndTimestamp == null ? null : valueAndTimestamp.value;
    }

    public V value() {
        return value;
    }

    public long timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueAndTimestamp<?> other && value.equals(other.value) && timestamp == other.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, timestamp);
    }

    @Override
    public String toString() {
        return "<" + value + "," + timestamp + ">";
    }
}
