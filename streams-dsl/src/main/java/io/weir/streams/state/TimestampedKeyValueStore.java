package io.weir.streams.state;

/** A key-value store whose values carry their timestamps: what the DSL's tables and aggregations keep. */
public interface TimestampedKeyValueStore<K, V> extends KeyValueStore<K, ValueAndTimestamp<V>> {}
