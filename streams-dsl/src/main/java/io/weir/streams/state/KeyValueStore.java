package io.weir.streams.state;

import io.weir.streams.KeyValue;
import io.weir.streams.processor.StateStore;
import java.util.List;

/**
 * A key-value store a processor reads and writes, as Kafka Streams' {@code KeyValueStore}. Writes are the task's
 * until it commits: its own reads see them at once, interactive queries after the commit. A null value deletes.
 */
public interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {

    void put(K key, V value);

    /** Puts {@code value} unless the key has one; returns the existing value, or null if it put. */
    V putIfAbsent(K key, V value);

    void putAll(List<KeyValue<K, V>> entries);

    /** Removes {@code key}; returns its old value, or null. */
    V delete(K key);
}
