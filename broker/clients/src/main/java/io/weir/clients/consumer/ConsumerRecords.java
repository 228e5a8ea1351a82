package io.weir.clients.consumer;

import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records one {@link Consumer#poll} returned, grouped by partition in offset order. Immutable.
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
    private static final ConsumerRecords<?, ?> EMPTY = new ConsumerRecords<>(Map.of());

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;
    private final int count;

    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        this.records = Collections.unmodifiableMap(records);
        int n = 0;
        for (List<ConsumerRecord<K, V>> list : records.values()) {
            n += list.size();
        }
        this.count = n;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> ConsumerRecords<K, V> empty() {
        return (ConsumerRecords<K, V>) EMPTY;
    }

    /** This poll's records of one partition, in offset order; empty if none. */
    public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
        List<ConsumerRecord<K, V>> list = records.get(partition);
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    /** This poll's records of one topic, partition by partition. */
    public Iterable<ConsumerRecord<K, V>> records(String topic) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        records.forEach((tp, list) -> {
            if (tp.topic().equals(topic)) {
                out.addAll(list);
            }
        });
        return out;
    }

    public Set<TopicPartition> partitions() {
        return records.keySet();
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        return records.values().stream().flatMap(List::stream).iterator();
    }
}
