package io.weir.clients.producer;

import io.weir.common.utils.Utils;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads records over all partitions in turn, regardless of key, with one counter per topic starting at
 * partition 0. The counter wraps through {@link Utils#toPositive}, so it keeps cycling past
 * {@code Integer.MAX_VALUE} calls (with one uneven step at the wrap, as in Kafka).
 *
 * <p>Thread-safe: concurrent senders share the topic's atomic counter, so each call gets a distinct turn.
 */
public final class RoundRobinPartitioner implements Partitioner {
    private final ConcurrentMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    @Override
    public int partition(
            String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions) {
        StickyPartitionCache.checkPartitions(topic, numPartitions);
        int turn = counters.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
        return Utils.toPositive(turn) % numPartitions;
    }
}
