package io.weir.streams.randomtopology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run of a random topology is judged on; the reference interpreter and the Weir run each produce one, and they
 * must be equal. Every part is independent of the order in which records of different input partitions meet.
 *
 * @param stores every named store's final contents, by store name (a table aggregation's non-empty groups only)
 * @param storeTimestamps the final row timestamps of the stores whose timestamps are defined by the input alone: a
 *     source table's (its key's last record's) and a stream aggregation's (the newest of its group's records)
 * @param streamOutputs for each stream root's topic, each key's values with their timestamps, in output order, or
 *     sorted when the stream's key changed (then the order of a key's records is not defined)
 * @param tableOutputs for each table root's topic, each key's last value, keys whose last value is a tombstone left
 *     out (a tombstone for a key that was never written is as good as none)
 */
record Outcome(
        Map<String, SortedMap<String, Long>> stores,
        Map<String, SortedMap<String, Long>> storeTimestamps,
        Map<String, SortedMap<String, List<Written>>> streamOutputs,
        Map<String, SortedMap<String, Long>> tableOutputs) {

    /** A value a stream root wrote, with its timestamp (the input record's, which no stream operator changes). */
    record Written(long value, long timestamp) implements Comparable<Written> {
        @Override
        public int compareTo(Written other) {
            int byValue = Long.compare(value, other.value);
            return byValue != 0 ? byValue : Long.compare(timestamp, other.timestamp);
        }

        @Override
        public String toString() {
            return value + "@" + timestamp;
        }
    }

    /** A stream root's records by key, in order, or sorted when {@code keyChanged} (their order is not defined). */
    static SortedMap<String, List<Written>> byKey(List<Reference.Rec> records, boolean keyChanged) {
        SortedMap<String, List<Written>> values = new TreeMap<>();
        for (Reference.Rec r : records) {
            values.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Written(r.value(), r.timestamp()));
        }
        if (keyChanged) {
            values.values().forEach(Collections::sort);
        }
        return values;
    }

    /** Whether the final row timestamps of {@code table}'s store are compared. */
    static boolean comparesTimestamps(TableExpr table) {
        return table instanceof TableExpr.Source || table instanceof TableExpr.StreamAggregate;
    }

    static String storeName(TableExpr table) {
        if (table instanceof TableExpr.Source source) {
            return source.store().name();
        }
        if (table instanceof TableExpr.StreamAggregate aggregate) {
            return aggregate.store().name();
        }
        if (table instanceof TableExpr.TableAggregate aggregate) {
            return aggregate.store().name();
        }
        throw new IllegalArgumentException("not materialized: " + table);
    }

    /**
     * Every stream aggregation also runs windowed, by tumbling windows of this size with a grace longer than the
     * input's time span (so no record is late in any partitioning): its window store is compared as
     * {@code "<group>@<window start>"} rows under {@link #windowedStoreName}.
     */
    static final long WINDOW_MS = 100;

    static final java.time.Duration WINDOW_GRACE = java.time.Duration.ofHours(1);

    static String windowedStoreName(TableExpr.StreamAggregate aggregate) {
        return aggregate.store().name() + "-windowed";
    }

    static String windowRow(String key, long windowStart) {
        return key + "@" + windowStart;
    }
}
