package io.weir.streams.kstream;

/**
 * Combines a record's value with the value it joined, seeing the key too, as Kafka Streams' {@code ValueJoinerWithKey}.
 * The key is read-only: changing it would break the partitioning the join relies on.
 */
@FunctionalInterface
public interface ValueJoinerWithKey<K1, V1, V2, VR> {
    VR apply(K1 readOnlyKey, V1 value1, V2 value2);
}
