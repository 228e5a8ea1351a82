package io.weir.streams.processor;

/**
 * Chooses the partition of a record a sink writes, as Kafka Streams' {@code StreamPartitioner}: for a topology whose
 * input topics were not written with the default partitioner (murmur2 of the serialized key), so that its internal
 * topics can be partitioned the same way. Given to a sink by {@code Produced.withStreamPartitioner}, and by
 * {@code TableJoined} for foreign-key joins.
 *
 * @param <K> key type
 * @param <V> value type ({@code Void} where only the key may decide, as for foreign-key joins)
 */
@FunctionalInterface
public interface StreamPartitioner<K, V> {

    /**
     * @param topic         the topic the record goes to
     * @param numPartitions the topic's partition count
     * @return a partition in {@code [0, numPartitions)}, or null for the default partitioner's choice
     */
    Integer partition(String topic, K key, V value, int numPartitions);
}
