package io.weir.clients.producer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Sticky partitioning for every record, keyed or not: keys are ignored, so use it only when records with the
 * same key need not share a partition. Gives the largest batches of the built-ins. Thread-safe.
 */
public final class UniformStickyPartitioner implements Partitioner {
    private final StickyPartitionCache sticky;

    public UniformStickyPartitioner() {
        this.sticky = new StickyPartitionCache(ThreadLocalRandom::current);
    }

    /** For deterministic tests: every random draw comes from {@code random}, which must be thread-safe if shared. */
    public UniformStickyPartitioner(RandomGenerator random) {
        this.sticky = new StickyPartitionCache(() -> random);
    }

    @Override
    public int partition(
            String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions) {
        return sticky.partition(topic, numPartitions);
    }

    @Override
    public void onNewBatch(String topic, int previousPartition, int numPartitions) {
        sticky.nextPartition(topic, previousPartition, numPartitions);
    }
}
