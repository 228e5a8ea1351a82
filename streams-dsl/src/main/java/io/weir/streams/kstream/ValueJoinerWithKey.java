package io.weir.streams.kstream;

/**
 * Combines a record's value with the value it joined, given the record's key (read-only: changing it would break
 * the partitioning). As Kafka Streams' {@code ValueJoinerWithKey}.
 */
@FunctionalInterface
public interface ValueJoinerWithKey<K1, V1, V2, VR> {
    VR apply(K1 readOnlyKey, V1 value1, V2 value2);
}
