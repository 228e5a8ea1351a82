package io.weir.streams.kstream;

/** Kafka Streams' {@code ForeachAction}. */
@FunctionalInterface
public interface ForeachAction<K, V> {
    void apply(K key, V value);
}
