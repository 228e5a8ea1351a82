package io.weir.clients.producer;

import io.weir.common.utils.Utils;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The current "sticky" partition of each topic: every keyless record goes to it until the producer starts a new
 * batch there, then a different partition is picked at random. Filling one batch at a time instead of
 * spraying records across partitions gives fewer, larger batches at the same linger.
 *
 * <p>Thread-safe without locks: the map's atomic {@code putIfAbsent}/{@code replace(topic, old, new)} make
 * concurrent {@link #nextPartition} calls for the same finished batch switch the topic once, not once per
 * caller.
 */
final class StickyPartitionCache {
    private final ConcurrentMap<String, Integer> current = new ConcurrentHashMap<>();
    private final Supplier<? extends RandomGenerator> random;

    /** @param random called on the calling thread for each draw; e.g. {@code ThreadLocalRandom::current} */
    StickyPartitionCache(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    int partition(String topic, int numPartitions) {
        Integer p = current.get(topic);
        if (p != null && p < numPartitions) {
            return p;
        }
        return nextPartition(topic, p == null ? -1 : p, numPartitions);
    }

    /**
     * Moves the topic off {@code previousPartition} to a different random partition (when there is more than
     * one), unless another thread already moved it, and returns the topic's partition afterwards.
     */
    int nextPartition(String topic, int previousPartition, int numPartitions) {
        checkPartitions(topic, numPartitions);
        Integer old = current.get(topic);
        if (old != null && old != previousPartition && old < numPartitions) {
            return old; // someone else already switched away from the finished batch's partition
        }
        int next;
        if (numPartitions == 1) {
            next = 0;
        } else {
            do {
                next = Utils.toPositive(random.get().nextInt()) % numPartitions;
            } while (old != null && next == old);
        }
        if (old == null) {
            current.putIfAbsent(topic, next);
        } else {
            current.replace(topic, old, next);
        }
        return current.get(topic);
    }

    static void checkPartitions(String topic, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException(
                    "topic '" + topic + "' has " + numPartitions + " partitions; a record needs at least 1");
        }
    }
}
