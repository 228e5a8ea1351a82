package io.weir.streams.kstream;

/** Combines the aggregates of two sessions that a record joins into one, as Kafka Streams' {@code Merger}. */
@FunctionalInterface
public interface Merger<K, V> {
    V apply(K aggKey, V aggOne, V aggTwo);
}
