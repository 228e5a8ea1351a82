package io.weir.clients.producer;

import io.weir.common.utils.Utils;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Kafka's default partitioning: a keyed record goes to {@code toPositive(murmur2(keyBytes)) % numPartitions},
 * exactly as in Kafka, so keys map to the same partitions in both systems; a keyless record goes to the topic's
 * sticky partition, which changes to a different random partition each time the producer starts a new batch
 * on it (see {@link StickyPartitionCache}).
 *
 * <p>Thread-safe.
 */
public final class DefaultPartitioner implements Partitioner {
    private final StickyPartitionCache sticky;

    public DefaultPartitioner() {
        this.sticky = new StickyPartitionCache(ThreadLocalRandom::current);
    }

    /** For deterministic tests: every random draw comes from {@code random}, which must be thread-safe if shared. */
    public DefaultPartitioner(RandomGenerator random) {
        this.sticky = new StickyPartitionCache(() -> random);
    }

    @Override
    public int partition(
            String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions) {
        if (keyBytes == null) {
            return sticky.partition(topic, numPartitions);
        }
        StickyPartitionCache.checkPartitions(topic, numPartitions);
        return Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions;
    }

    @Override
    public void onNewBatch(String topic, int previousPartition, int numPartitions) {
        sticky.nextPartition(topic, previousPartition, numPartitions);
    }
}
