package io.weir.examples;

import io.weir.common.TopicPartition;
import io.weir.streams.processor.StateRestoreListener;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects what the stores' restores did, per store and changelog partition: where the changelog ended when the
 * restore began, and how many records it replayed. Told by the stream threads; read once the application is RUNNING
 * (every restore ends before its task runs).
 */
final class RestoreReport implements StateRestoreListener {
    private static final Comparator<TopicPartition> BY_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** One changelog partition's restore; {@code replayed} is 0 until it ends. */
    record Partition(String store, long endOffset, long replayed) {}

    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        partitions.put(changelog, new Partition(store, endingOffset, 0));
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        partitions.computeIfPresent(changelog, (tp, p) -> new Partition(p.store(), p.endOffset(), totalRestored));
    }

    /** The stores restored, by name. */
    Set<String> stores() {
        Set<String> stores = new TreeSet<>();
        partitions.values().forEach(p -> stores.add(p.store()));
        return stores;
    }

    /** The records replayed into each of {@code store}'s partitions, in partition order. */
    Map<TopicPartition, Long> replayed(String store) {
        Map<TopicPartition, Long> replayed = new TreeMap<>(BY_PARTITION);
        partitions.forEach((tp, p) -> {
            if (p.store().equals(store)) {
                replayed.put(tp, p.replayed());
            }
        });
        return replayed;
    }

    /** The end offset each of {@code store}'s changelog partitions had when its restore began. */
    Map<TopicPartition, Long> changelogEnds(String store) {
        Map<TopicPartition, Long> ends = new TreeMap<>(BY_PARTITION);
        partitions.forEach((tp, p) -> {
            if (p.store().equals(store)) {
                ends.put(tp, p.endOffset());
            }
        });
        return ends;
    }
}
