package io.weir.clients.producer;

import java.util.Map;

/**
 * Chooses the partition of each record a producer sends. Implementations named in config need a public
 * no-argument constructor; {@link #configure} is called once before use.
 *
 * <p><b>Protocol with the producer.</b> {@link #partition} is called exactly once per record. When the
 * producer starts a new batch for a partition (the previous one filled up or was sent), it calls
 * {@link #onNewBatch} before partitioning the next record, so a sticky partitioner can move on; the record
 * that caused the new batch stays where it was partitioned. (Kafka's clients before 3.3 partitioned that record
 * a second time after {@code onNewBatch}; Weir does not, which keeps round-robin from skipping partitions.)
 *
 * <p><b>Threading.</b> Called concurrently from every thread that sends; implementations must be thread-safe.
 */
public interface Partitioner extends AutoCloseable {

    /**
     * @param keyBytes the serialized key, or null when the record has no key
     * @param numPartitions the topic's partition count, at least 1
     * @return a partition in {@code [0, numPartitions)}
     */
    int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions);

    /** A new batch was started for {@code previousPartition} of {@code topic}; see the class comment. */
    default void onNewBatch(String topic, int previousPartition, int numPartitions) {}

    default void configure(Map<String, ?> configs) {}

    @Override
    default void close() {}
}
