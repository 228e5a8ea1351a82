package io.weir.streams.randomtopology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The records piped into a random topology, in piping order. */
final class Input {
    private Input() {}

    /** How many distinct keys the input uses: few, so that keys collide in every table and group. */
    static final int KEYS = 6;

    /**
     * One generated input record, independent of any topology: {@code slot} picks one of the topology's stream (or
     * table) topics modulo their number; only a table record may be a tombstone ({@code value} null).
     */
    record Event(boolean toTable, int slot, int key, Long value, int time) {
        public Event {
            if (value == null && !toTable) {
                throw new IllegalArgumentException("only a table record may be a tombstone");
            }
        }

        @Override
        public String toString() {
            return (toTable ? "t" : "s") + slot + ":k" + key + "=" + (value == null ? "null" : value) + "@" + time;
        }
    }

    /** A record as piped: topic, key, value (null for a tombstone), timestamp. */
    record Record(String topic, String key, Long value, long timestamp) {
        @Override
        public String toString() {
            return topic + ":" + key + "=" + value + "@" + timestamp;
        }
    }

    /**
     * The events placed on the topology's topics. Events for a kind of topic the topology lacks are dropped. When the
     * topology has a stream-table join every table record goes first, with timestamps below every stream record's, so
     * each stream record meets the table's final rows in any runtime; otherwise the generated interleaving is kept.
     */
    static List<Record> place(RandomTopology topology, List<Event> events) {
        List<String> streams = topology.streamTopics();
        List<String> tables = topology.tableTopics();
        List<Event> ordered = new ArrayList<>(events);
        boolean tablesFirst = topology.hasStreamTableJoin();
        if (tablesFirst) {
            ordered.sort(Comparator.comparing(e -> !e.toTable())); // stable: keeps each kind's order
        }
        List<Record> records = new ArrayList<>();
        for (Event e : ordered) {
            List<String> topics = e.toTable() ? tables : streams;
            if (topics.isEmpty()) {
                continue;
            }
            long timestamp = e.time() + (tablesFirst && !e.toTable() ? 10_000 : 0);
            records.add(new Record(topics.get(e.slot() % topics.size()), "k" + e.key(), e.value(), timestamp));
        }
        return records;
    }
}
