package io.weir.streams.kstream;

/** Maps a key and a value to a result: a new key, a {@code KeyValue}, or an iterable of them. */
@FunctionalInterface
public interface KeyValueMapper<K, V, VR> {
    VR apply(K key, V value);
}
