package io.weir.streams.state;

import io.weir.common.serialization.Serializer;

/**
 * Reads of a key-value store, as Kafka Streams' {@code ReadOnlyKeyValueStore}. Keys are ordered by their serialized
 * bytes, compared unsigned; ranges are inclusive of both ends.
 */
public interface ReadOnlyKeyValueStore<K, V> {

    /** The value of {@code key}, or null. */
    V get(K key);

    KeyValueIterator<K, V> range(K from, K to);

    KeyValueIterator<K, V> reverseRange(K from, K to);

    KeyValueIterator<K, V> all();

    KeyValueIterator<K, V> reverseAll();

    /** The entries whose serialized key starts with the serialized {@code prefix}. */
    <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer);

    long approximateNumEntries();
}
