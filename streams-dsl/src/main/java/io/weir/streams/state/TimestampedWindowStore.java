package io.weir.streams.state;

/** A window store whose values carry their timestamps: what the DSL's windowed aggregations keep. */
public interface TimestampedWindowStore<K, V> extends WindowStore<K, ValueAndTimestamp<V>> {}
