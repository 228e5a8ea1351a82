package io.weir.state;

/** One entry of a store, as returned by iterators. A {@code null} value in a write means "delete". */
public record KeyValue<K, V>(K key, V value) {
    public static <K, V> KeyValue<K, V> pair(K key, V value) {
        return new KeyValue<>(key, value);
    }
}
