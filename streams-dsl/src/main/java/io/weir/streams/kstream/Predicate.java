package io.weir.streams.kstream;

/** Kafka Streams' {@code Predicate}. */
@FunctionalInterface
public interface Predicate<K, V> {
    boolean test(K key, V value);
}
