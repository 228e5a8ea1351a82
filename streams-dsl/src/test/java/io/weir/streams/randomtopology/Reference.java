package io.weir.streams.randomtopology;

import io.weir.streams.randomtopology.Ops.JoinKind;
import io.weir.streams.randomtopology.Ops.TableAggKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reference interpreter: what a random topology means, with lists and maps and no Weir code.
 *
 * <p>A stream is the list of its records in input order; a table is its final rows. A table's final rows are a
 * function of its inputs' final rows (a filter, a mapping, a join of the rows of each key), except at the bottom: a
 * source table's rows are its topic replayed, and an aggregation's rows are each group's records (or current rows)
 * folded. A stream-table join looks each record up in the table's final rows, which the input ordering makes right
 * (see {@link Input#place}).
 */
final class Reference {
    /** A stream record. */
    record Rec(String key, long value, long timestamp) {}

    private final List<Input.Record> input;

    private Reference(List<Input.Record> input) {
        this.input = input;
    }

    /**
     * What the topology means at {@code partitions} partitions per topic: only its windowed roots depend on the
     * partitioning (which records share a task's stream time).
     */
    static Outcome run(RandomTopology topology, List<Input.Record> input, int partitions) {
        Reference reference = new Reference(input);
        Map<String, SortedMap<String, Long>> stores = new TreeMap<>();
        Map<String, SortedMap<String, Long>> timestamps = new TreeMap<>();
        for (TableExpr table : topology.materialized()) {
            stores.put(Outcome.storeName(table), reference.table(table));
            if (Outcome.comparesTimestamps(table)) {
                timestamps.put(Outcome.storeName(table), reference.timestamps(table));
            }
            if (table instanceof TableExpr.StreamAggregate aggregate) {
                stores.put(Outcome.windowedStoreName(aggregate), reference.windowed(aggregate));
            }
        }
        Map<String, SortedMap<String, List<Outcome.Written>>> streamOutputs = new TreeMap<>();
        Map<String, SortedMap<String, Long>> tableOutputs = new TreeMap<>();
        for (RandomTopology.Root root : topology.roots()) {
            if (root instanceof RandomTopology.Root.WindowedOut out) {
                stores.put(out.expr().store().name(), reference.windowedRoot(out.expr(), partitions));
            } else if (root instanceof RandomTopology.Root.StreamOut out) {
                streamOutputs.put(
                        out.topic(),
                        Outcome.byKey(reference.stream(out.expr()), out.expr().keyChanged()));
            } else {
                tableOutputs.put(root.topic(), reference.table(((RandomTopology.Root.TableOut) root).expr()));
            }
        }
        return new Outcome(stores, timestamps, streamOutputs, tableOutputs);
    }

    List<Rec> stream(StreamExpr expr) {
        if (expr instanceof StreamExpr.Source s) {
            return input.stream()
                    .filter(r -> r.topic().equals(s.topic()))
                    .map(r -> new Rec(r.key(), r.value(), r.timestamp()))
                    .toList();
        }
        if (expr instanceof StreamExpr.Filter f) {
            return stream(f.in()).stream()
                    .filter(r -> f.pred().test(r.key(), r.value()))
                    .toList();
        }
        if (expr instanceof StreamExpr.MapValues m) {
            return stream(m.in()).stream()
                    .map(r -> new Rec(r.key(), m.fn().apply(r.value()), r.timestamp()))
                    .toList();
        }
        if (expr instanceof StreamExpr.SelectKey s) {
            return stream(s.in()).stream()
                    .map(r -> new Rec(s.fn().apply(r.key(), r.value()), r.value(), r.timestamp()))
                    .toList();
        }
        if (expr instanceof StreamExpr.MapKeyAndValue m) {
            return stream(m.in()).stream()
                    .map(r -> new Rec(
                            m.keyFn().apply(r.key(), r.value()), m.valueFn().apply(r.value()), r.timestamp()))
                    .toList();
        }
        if (expr instanceof StreamExpr.FlatMapValues f) {
            return stream(f.in()).stream()
                    .flatMap(r -> f.fan().apply(r.value()).stream().map(v -> new Rec(r.key(), v, r.timestamp())))
                    .toList();
        }
        if (expr instanceof StreamExpr.JoinTable j) {
            SortedMap<String, Long> rows = table(j.table());
            List<Rec> joined = new ArrayList<>();
            for (Rec r : stream(j.in())) {
                Long row = rows.get(r.key());
                if (row != null || j.kind() == JoinKind.LEFT) {
                    joined.add(new Rec(r.key(), j.joiner().apply(r.value(), row), r.timestamp()));
                }
            }
            return joined;
        }
        if (expr instanceof StreamExpr.JoinStream j) {
            return StreamJoins.reference(j, stream(j.left()), stream(j.right()));
        }
        throw new IllegalArgumentException("unknown stream expression " + expr);
    }

    /** What {@code expr} means over {@code input}. */
    static List<Rec> records(List<Input.Record> input, StreamExpr expr) {
        return new Reference(input).stream(expr);
    }

    /** A table's final rows. */
    SortedMap<String, Long> table(TableExpr expr) {
        SortedMap<String, Long> rows = new TreeMap<>();
        if (expr instanceof TableExpr.Source s) {
            for (Input.Record r : input) {
                if (r.topic().equals(s.topic())) {
                    if (r.value() == null) {
                        rows.remove(r.key());
                    } else {
                        rows.put(r.key(), r.value());
                    }
                }
            }
        } else if (expr instanceof TableExpr.Filter f) {
            table(f.in()).forEach((k, v) -> {
                if (f.pred().test(k, v)) {
                    rows.put(k, v);
                }
            });
        } else if (expr instanceof TableExpr.MapValues m) {
            table(m.in()).forEach((k, v) -> rows.put(k, m.fn().apply(v)));
        } else if (expr instanceof TableExpr.Join j) {
            SortedMap<String, Long> left = table(j.left());
            SortedMap<String, Long> right = table(j.right());
            TreeSet<String> keys = new TreeSet<>(left.keySet());
            switch (j.kind()) {
                case INNER -> keys.retainAll(right.keySet());
                case LEFT -> {}
                case OUTER -> keys.addAll(right.keySet());
            }
            keys.forEach(k -> rows.put(k, j.joiner().apply(left.get(k), right.get(k))));
        } else if (expr instanceof TableExpr.ForeignKeyJoin j) {
            SortedMap<String, Long> right = table(j.right());
            table(j.left()).forEach((k, v) -> {
                Long row = right.get(j.foreignKey().apply(k, v));
                if (row != null || j.kind() == JoinKind.LEFT) {
                    rows.put(k, j.joiner().apply(v, row));
                }
            });
        } else if (expr instanceof TableExpr.StreamAggregate a) {
            for (Rec r : stream(a.in())) {
                String group = groupOf(a, r);
                Long aggregate = rows.get(group);
                rows.put(
                        group,
                        aggregate == null
                                ? first(a.kind(), r.value())
                                : a.kind().step(aggregate, r.value()));
            }
        } else if (expr instanceof TableExpr.TableAggregate a) {
            // The sum over each group's current rows: an adder with its exact inverse ends there in any order.
            table(a.in()).forEach((k, v) -> {
                long contribution = a.kind().contribution(TableAggKind.weight(v));
                rows.merge(a.groupKey().apply(k, v), contribution, Long::sum);
            });
        } else {
            throw new IllegalArgumentException("unknown table expression " + expr);
        }
        return rows;
    }

    /** The aggregation folded per group and tumbling window: each record into the window its timestamp falls in. */
    SortedMap<String, Long> windowed(TableExpr.StreamAggregate a) {
        SortedMap<String, Long> rows = new TreeMap<>();
        for (Rec r : stream(a.in())) {
            String row = Outcome.windowRow(groupOf(a, r), r.timestamp() - r.timestamp() % Outcome.WINDOW_MS);
            Long aggregate = rows.get(row);
            rows.put(
                    row,
                    aggregate == null ? first(a.kind(), r.value()) : a.kind().step(aggregate, r.value()));
        }
        return rows;
    }

    // ---- windowed roots: out of order, with a grace ------------------------------------------------------------

    /**
     * A windowed root's final store rows: {@code "<key>@<start>"} for time windows, {@code "<key>@<start>-<end>"} for
     * sessions. Each record is folded in its task's order, input order, its task being its key's partition (the
     * default partitioner's choice: the key never changed when a record can be late).
     */
    SortedMap<String, Long> windowedRoot(WindowedExpr w, int partitions) {
        long[] streamTime = new long[partitions];
        java.util.Arrays.fill(streamTime, -1L);
        Map<String, List<Long>> windows = new TreeMap<>(); // row -> values folded, in order
        Map<String, List<long[]>> sessions = new HashMap<>(); // key -> [start, end] sessions, values by row
        WindowedExpr.Windowing windowing = w.windowing();
        for (Rec unrounded : stream(w.in())) {
            Rec r = new Rec(unrounded.key(), unrounded.value(), unrounded.timestamp() / w.tick() * w.tick());
            int task = io.weir.common.utils.Utils.toPositive(io.weir.common.utils.Utils.murmur2(
                            r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    % partitions;
            streamTime[task] = Math.max(streamTime[task], r.timestamp());
            if (windowing.session()) {
                session(
                        r,
                        windowing,
                        streamTime[task],
                        sessions.computeIfAbsent(r.key(), k -> new ArrayList<>()),
                        windows);
                continue;
            }
            // Every window [start, start + size) holding the timestamp, starts at multiples of the advance.
            for (long start = r.timestamp() / windowing.advance() * windowing.advance();
                    start >= 0 && start > r.timestamp() - windowing.size();
                    start -= windowing.advance()) {
                if (start + windowing.size() > streamTime[task] - windowing.grace()) { // else closed: dropped
                    windows.computeIfAbsent(Outcome.windowRow(r.key(), start), k -> new ArrayList<>())
                            .add(r.value());
                }
            }
        }
        SortedMap<String, Long> rows = new TreeMap<>();
        windows.forEach((row, values) -> {
            long aggregate = first(w.kind(), values.get(0));
            for (long v : values.subList(1, values.size())) {
                aggregate = w.kind().step(aggregate, v);
            }
            rows.put(row, aggregate);
        });
        return rows;
    }

    /**
     * A record joins every session of its key within the gap on either side into one; that merged session is dropped
     * whole once its end is before stream time minus grace and gap. Rows hold the merged sessions' values.
     */
    private static void session(
            Rec r,
            WindowedExpr.Windowing windowing,
            long streamTime,
            List<long[]> keySessions,
            Map<String, List<Long>> rows) {
        long gap = windowing.size();
        long start = r.timestamp();
        long end = r.timestamp();
        List<long[]> merged = new ArrayList<>();
        for (long[] s : keySessions) {
            if (s[1] >= r.timestamp() - gap && s[0] <= r.timestamp() + gap) {
                merged.add(s);
                start = Math.min(start, s[0]);
                end = Math.max(end, s[1]);
            }
        }
        if (end < streamTime - windowing.grace() - gap) {
            return; // the merged session closed: the record is dropped
        }
        List<Long> values = new ArrayList<>();
        for (long[] s : merged) {
            keySessions.remove(s);
            values.addAll(rows.remove(sessionRow(r.key(), s[0], s[1])));
        }
        values.add(r.value());
        keySessions.add(new long[] {start, end});
        rows.put(sessionRow(r.key(), start, end), values);
    }

    static String sessionRow(String key, long start, long end) {
        return Outcome.windowRow(key, start) + "-" + end;
    }

    private static String groupOf(TableExpr.StreamAggregate aggregate, Rec r) {
        return aggregate.grouping() instanceof TableExpr.Grouping.By by
                ? by.fn().apply(r.key(), r.value())
                : r.key();
    }

    /** A group's aggregate after its first record: a reduce starts from the value itself. */
    private static long first(Ops.StreamAggKind kind, long value) {
        return kind.api == Ops.Api.REDUCE ? value : kind.step(kind.initial, value);
    }

    /**
     * The timestamps of a source table's rows (of each key's last record) or of a stream aggregation's rows (the
     * newest of the group's records, as Kafka Streams' aggregations keep).
     */
    SortedMap<String, Long> timestamps(TableExpr expr) {
        SortedMap<String, Long> timestamps = new TreeMap<>();
        if (expr instanceof TableExpr.Source s) {
            Map<String, Long> last = new HashMap<>();
            for (Input.Record r : input) {
                if (r.topic().equals(s.topic())) {
                    if (r.value() == null) {
                        last.remove(r.key());
                    } else {
                        last.put(r.key(), r.timestamp());
                    }
                }
            }
            timestamps.putAll(last);
        } else if (expr instanceof TableExpr.StreamAggregate a) {
            for (Rec r : stream(a.in())) {
                timestamps.merge(groupOf(a, r), r.timestamp(), Math::max);
            }
        } else {
            throw new IllegalArgumentException("timestamps are not compared for " + expr);
        }
        return timestamps;
    }
}
