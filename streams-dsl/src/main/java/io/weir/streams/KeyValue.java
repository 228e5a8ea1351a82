package io.weir.streams;

/**
 * A key and a value, as Kafka Streams' {@code KeyValue}: what {@code map} and {@code flatMap} return and what
 * test topics read back. Immutable as far as the key and value are.
 */
public record KeyValue<K, V>(K key, V value) {

    /** Kafka's factory name. */
    public static <K, V> KeyValue<K, V> pair(K key, V value) {
        return new KeyValue<>(key, value);
    }

    @Override
    public String toString() {
        return "KeyValue(" + key + ", " + value + ")";
    }
}
