package io.weir.streams.randomtopology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.weir.common.serialization.Serdes;
import io.weir.streams.KeyValue;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.TestInputTopic;
import io.weir.streams.TopologyTestDriver;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.KGroupedStream;
import io.weir.streams.kstream.KGroupedTable;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.SessionWindowedKStream;
import io.weir.streams.kstream.SessionWindows;
import io.weir.streams.kstream.TimeWindowedKStream;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.FixedKeyProcessor;
import io.weir.streams.processor.api.FixedKeyProcessorContext;
import io.weir.streams.processor.api.FixedKeyRecord;
import io.weir.streams.randomtopology.Ops.StreamAggKind;
import io.weir.streams.randomtopology.Ops.TableAggKind;
import io.weir.streams.randomtopology.RandomTopology.Root;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ReadOnlySessionStore;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.Stores;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.test.TestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/** Builds a random topology with Weir's DSL, pipes the input through the {@link TopologyTestDriver} and observes it. */
final class WeirRun {
    private final StreamsBuilder builder = new StreamsBuilder();
    /** Each source topic is read once; a shared source is the same stream or table again. */
    private final Map<String, KStream<String, Long>> streamSources = new HashMap<>();

    private final Map<String, KTable<String, Long>> tableSources = new HashMap<>();

    private WeirRun() {}

    /** The topology at {@code partitions} partitions per topic: what its stores hold and what it wrote. */
    static Outcome run(RandomTopology topology, List<Input.Record> input, int partitions) {
        WeirRun run = new WeirRun();
        for (Root root : topology.roots()) {
            if (root instanceof Root.WindowedOut out) {
                run.windowed(out.expr());
            } else if (root instanceof Root.StreamOut out) {
                run.stream(out.expr()).to(out.topic());
            } else {
                run.table(((Root.TableOut) root).expr()).toStream().to(root.topic());
            }
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "random-topology");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.LongSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        try (TopologyTestDriver driver = new TopologyTestDriver(run.builder.build(), props, Instant.EPOCH)) {
            Map<String, TestInputTopic<String, Long>> topics = new HashMap<>();
            for (Input.Record r : input) {
                topics.computeIfAbsent(
                                r.topic(),
                                t -> driver.createInputTopic(
                                        t,
                                        Serdes.String().serializer(),
                                        Serdes.Long().serializer()))
                        .pipeInput(r.key(), r.value(), r.timestamp());
            }
            Map<String, SortedMap<String, Long>> stores = new TreeMap<>();
            Map<String, SortedMap<String, Long>> timestamps = new TreeMap<>();
            for (TableExpr table : topology.materialized()) {
                String name = Outcome.storeName(table);
                SortedMap<String, ValueAndTimestamp<Long>> rows = storeRows(driver, name);
                SortedMap<String, Long> values = map(rows, ValueAndTimestamp::value);
                if (table instanceof TableExpr.TableAggregate) {
                    values.values().removeIf(v -> v == 0);
                }
                stores.put(name, values);
                if (Outcome.comparesTimestamps(table)) {
                    timestamps.put(name, map(rows, ValueAndTimestamp::timestamp));
                }
                if (table instanceof TableExpr.StreamAggregate aggregate) {
                    stores.put(Outcome.windowedStoreName(aggregate), windowRows(driver, aggregate));
                }
            }
            Map<String, SortedMap<String, List<Outcome.Written>>> streamOutputs = new TreeMap<>();
            Map<String, SortedMap<String, Long>> tableOutputs = new TreeMap<>();
            for (Root root : topology.roots()) {
                if (root instanceof Root.WindowedOut out) {
                    stores.put(out.expr().store().name(), windowedRows(driver, out.expr()));
                    continue;
                }
                List<TestRecord<String, Long>> written = driver.createOutputTopic(
                                root.topic(),
                                Serdes.String().deserializer(),
                                Serdes.Long().deserializer())
                        .readRecordsToList();
                if (root instanceof Root.StreamOut out) {
                    List<Reference.Rec> records = written.stream()
                            .map(r -> new Reference.Rec(r.key(), r.value(), r.timestamp()))
                            .toList();
                    streamOutputs.put(
                            root.topic(), Outcome.byKey(records, out.expr().keyChanged()));
                } else {
                    tableOutputs.put(root.topic(), lastValues(written));
                }
            }
            return new Outcome(stores, timestamps, streamOutputs, tableOutputs);
        }
    }

    /** A windowed root's store rows, as {@link Reference#windowedRoot} names them. */
    private static SortedMap<String, Long> windowedRows(TopologyTestDriver driver, WindowedExpr w) {
        String name = w.store().name();
        SortedMap<String, Long> rows = new TreeMap<>();
        if (!w.windowing().session()) {
            ReadOnlyWindowStore<String, Long> store = driver.getWindowStore(name);
            assertNotNull(store, "no window store " + name);
            try (KeyValueIterator<Windowed<String>, Long> it = store.all()) {
                it.forEachRemaining(kv -> rows.put(
                        Outcome.windowRow(kv.key().key(), kv.key().window().start()), kv.value()));
            }
            return rows;
        }
        ReadOnlySessionStore<String, Long> store = driver.getSessionStore(name);
        assertNotNull(store, "no session store " + name);
        // Every key: the generated keys are ASCII letters, digits and dots, all below DEL.
        try (KeyValueIterator<Windowed<String>, Long> it = store.fetch("", "\u007f")) {
            it.forEachRemaining(kv -> rows.put(
                    Reference.sessionRow(
                            kv.key().key(),
                            kv.key().window().start(),
                            kv.key().window().end()),
                    kv.value()));
        }
        return rows;
    }

    /** A windowed root: the aggregation by its windows, in a store that keeps every window (see {@link WindowedExpr}). */
    private void windowed(WindowedExpr w) {
        KStream<String, Long> in = stream(w.in());
        if (w.tick() > 1) {
            long tick = w.tick();
            in = in.processValues(() -> new FixedKeyProcessor<String, Long, Long>() {
                private FixedKeyProcessorContext<String, Long> context;

                @Override
                public void init(FixedKeyProcessorContext<String, Long> context) {
                    this.context = context;
                }

                @Override
                public void process(FixedKeyRecord<String, Long> record) {
                    context.forward(record.withTimestamp(record.timestamp() / tick * tick));
                }
            });
        }
        KGroupedStream<String, Long> grouped = in.groupByKey();
        WindowedExpr.Windowing windowing = w.windowing();
        StoreSpec spec = w.store();
        Duration retention = Duration.ofMillis(WindowedExpr.RETENTION);
        StreamAggKind kind = w.kind();
        Materialized<String, Long, StateStore> materialized;
        if (windowing.session()) {
            materialized = spec.inMemory()
                    ? Materialized.as(Stores.inMemorySessionStore(spec.name(), retention))
                    : Materialized.<String, Long, StateStore>as(spec.name()).withRetention(retention);
        } else {
            materialized = spec.inMemory()
                    ? Materialized.as(Stores.inMemoryWindowStore(
                            spec.name(), retention, Duration.ofMillis(windowing.size()), false))
                    : Materialized.<String, Long, StateStore>as(spec.name()).withRetention(retention);
        }
        if (!spec.cached()) {
            materialized.withCachingDisabled();
        }
        if (windowing.session()) {
            SessionWindowedKStream<String, Long> sessions = grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(
                    Duration.ofMillis(windowing.size()), Duration.ofMillis(windowing.grace())));
            switch (kind.api) {
                case COUNT -> sessions.count(materialized);
                case REDUCE -> sessions.reduce(kind::step, materialized);
                case AGGREGATE -> sessions.aggregate(
                        () -> kind.initial,
                        (k, v, aggregate) -> kind.step(aggregate, v),
                        (k, a, b) -> a + b, // the commutative kinds are sums
                        materialized);
            }
            return;
        }
        TimeWindows windows =
                TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowing.size()), Duration.ofMillis(windowing.grace()));
        if (windowing.advance() != windowing.size()) {
            windows = windows.advanceBy(Duration.ofMillis(windowing.advance()));
        }
        TimeWindowedKStream<String, Long> windowed = grouped.windowedBy(windows);
        switch (kind.api) {
            case COUNT -> windowed.count(materialized);
            case REDUCE -> windowed.reduce(kind::step, materialized);
            case AGGREGATE -> windowed.aggregate(
                    () -> kind.initial, (k, v, aggregate) -> kind.step(aggregate, v), materialized);
        }
    }

    /** A windowed aggregation's rows, as {@code "<group>@<window start>"}. */
    private static SortedMap<String, Long> windowRows(TopologyTestDriver driver, TableExpr.StreamAggregate a) {
        ReadOnlyWindowStore<String, Long> store = driver.getWindowStore(Outcome.windowedStoreName(a));
        assertNotNull(store, "no window store " + Outcome.windowedStoreName(a));
        SortedMap<String, Long> rows = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Long> it = store.all()) {
            it.forEachRemaining(kv ->
                    rows.put(Outcome.windowRow(kv.key().key(), kv.key().window().start()), kv.value()));
        }
        return rows;
    }

    /** A store's rows, read through both of the driver's accessors, which must agree. */
    private static SortedMap<String, ValueAndTimestamp<Long>> storeRows(TopologyTestDriver driver, String name) {
        KeyValueStore<String, Long> plain = driver.getKeyValueStore(name);
        KeyValueStore<String, ValueAndTimestamp<Long>> timestamped = driver.getTimestampedKeyValueStore(name);
        assertNotNull(plain, "no key-value store " + name);
        assertNotNull(timestamped, "no timestamped key-value store " + name);
        SortedMap<String, ValueAndTimestamp<Long>> rows = contents(timestamped);
        assertEquals(
                map(rows, ValueAndTimestamp::value),
                contents(plain),
                "store " + name + " read with getKeyValueStore differs from getTimestampedKeyValueStore");
        return rows;
    }

    private static <V> SortedMap<String, V> contents(KeyValueStore<String, V> store) {
        SortedMap<String, V> rows = new TreeMap<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> rows.put(kv.key(), kv.value()));
        }
        return rows;
    }

    private static <A, B> SortedMap<String, B> map(SortedMap<String, A> rows, Function<A, B> fn) {
        SortedMap<String, B> mapped = new TreeMap<>();
        rows.forEach((k, v) -> mapped.put(k, fn.apply(v)));
        return mapped;
    }

    private static SortedMap<String, Long> lastValues(List<TestRecord<String, Long>> written) {
        Map<String, Long> last = new LinkedHashMap<>();
        written.forEach(r -> last.put(r.key(), r.value()));
        SortedMap<String, Long> values = new TreeMap<>();
        last.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        return values;
    }

    private KStream<String, Long> stream(StreamExpr expr) {
        if (expr instanceof StreamExpr.Source s) {
            return streamSources.computeIfAbsent(s.topic(), builder::stream);
        }
        if (expr instanceof StreamExpr.Filter f) {
            return stream(f.in()).filter((k, v) -> f.pred().test(k, v));
        }
        if (expr instanceof StreamExpr.MapValues m) {
            return stream(m.in()).mapValues(v -> m.fn().apply(v));
        }
        if (expr instanceof StreamExpr.SelectKey s) {
            return stream(s.in()).selectKey((k, v) -> s.fn().apply(k, v));
        }
        if (expr instanceof StreamExpr.MapKeyAndValue m) {
            return stream(m.in())
                    .map((k, v) ->
                            KeyValue.pair(m.keyFn().apply(k, v), m.valueFn().apply(v)));
        }
        if (expr instanceof StreamExpr.FlatMapValues f) {
            return stream(f.in()).flatMapValues(v -> f.fan().apply(v));
        }
        if (expr instanceof StreamExpr.JoinTable j) {
            KStream<String, Long> in = stream(j.in());
            KTable<String, Long> table = table(j.table());
            return switch (j.kind()) {
                case INNER -> in.join(table, (v, row) -> j.joiner().apply(v, row));
                case LEFT -> in.leftJoin(table, (v, row) -> j.joiner().apply(v, row));
                case OUTER -> throw new IllegalArgumentException("no stream-table outer join");
            };
        }
        if (expr instanceof StreamExpr.JoinStream j) {
            return StreamJoins.build(j, stream(j.left()), stream(j.right()), builder.stream(j.closer()));
        }
        throw new IllegalArgumentException("unknown stream expression " + expr);
    }

    private KTable<String, Long> table(TableExpr expr) {
        if (expr instanceof TableExpr.Source s) {
            return tableSources.computeIfAbsent(s.topic(), topic -> builder.table(topic, materialized(s.store())));
        }
        if (expr instanceof TableExpr.Filter f) {
            return table(f.in()).filter((k, v) -> f.pred().test(k, v));
        }
        if (expr instanceof TableExpr.MapValues m) {
            return table(m.in()).mapValues(v -> m.fn().apply(v));
        }
        if (expr instanceof TableExpr.Join j) {
            KTable<String, Long> left = table(j.left());
            KTable<String, Long> right = table(j.right());
            return switch (j.kind()) {
                case INNER -> left.join(right, (a, b) -> j.joiner().apply(a, b));
                case LEFT -> left.leftJoin(right, (a, b) -> j.joiner().apply(a, b));
                case OUTER -> left.outerJoin(right, (a, b) -> j.joiner().apply(a, b));
            };
        }
        if (expr instanceof TableExpr.ForeignKeyJoin j) {
            KTable<String, Long> left = table(j.left());
            KTable<String, Long> right = table(j.right());
            java.util.function.BiFunction<String, Long, String> foreignKey =
                    (k, v) -> j.foreignKey().apply(k, v);
            return j.kind() == Ops.JoinKind.INNER
                    ? left.join(right, foreignKey, (a, b) -> j.joiner().apply(a, b))
                    : left.leftJoin(right, foreignKey, (a, b) -> j.joiner().apply(a, b));
        }
        if (expr instanceof TableExpr.StreamAggregate a) {
            return streamAggregate(a);
        }
        if (expr instanceof TableExpr.TableAggregate a) {
            return tableAggregate(a);
        }
        throw new IllegalArgumentException("unknown table expression " + expr);
    }

    private KTable<String, Long> streamAggregate(TableExpr.StreamAggregate a) {
        KStream<String, Long> in = stream(a.in());
        KGroupedStream<String, Long> grouped;
        if (a.grouping() instanceof TableExpr.Grouping.By by) {
            grouped = by.repartition() == null
                    ? in.groupBy((k, v) -> by.fn().apply(k, v))
                    : in.groupBy((k, v) -> by.fn().apply(k, v), Grouped.as(by.repartition()));
        } else {
            grouped = in.groupByKey();
        }
        StreamAggKind kind = a.kind();
        windowedTwin(grouped, a);
        return switch (kind.api) {
            case COUNT -> grouped.count(materialized(a.store()));
            case REDUCE -> grouped.reduce(kind::step, materialized(a.store()));
            case AGGREGATE -> grouped.aggregate(
                    () -> kind.initial, (k, v, aggregate) -> kind.step(aggregate, v), materialized(a.store()));
        };
    }

    /** The same aggregation by tumbling windows (see {@link Outcome#WINDOW_MS}), in its own window store. */
    private static void windowedTwin(KGroupedStream<String, Long> grouped, TableExpr.StreamAggregate a) {
        TimeWindowedKStream<String, Long> windowed = grouped.windowedBy(
                TimeWindows.ofSizeAndGrace(Duration.ofMillis(Outcome.WINDOW_MS), Outcome.WINDOW_GRACE));
        StoreSpec spec = a.store();
        String name = Outcome.windowedStoreName(a);
        Materialized<String, Long, StateStore> materialized = spec.inMemory()
                ? Materialized.as(Stores.inMemoryWindowStore(
                        name,
                        Duration.ofMillis(Outcome.WINDOW_MS).plus(Outcome.WINDOW_GRACE),
                        Duration.ofMillis(Outcome.WINDOW_MS),
                        false))
                : Materialized.as(name);
        if (!spec.cached()) {
            materialized.withCachingDisabled();
        }
        StreamAggKind kind = a.kind();
        switch (kind.api) {
            case COUNT -> windowed.count(materialized);
            case REDUCE -> windowed.reduce(kind::step, materialized);
            case AGGREGATE -> windowed.aggregate(
                    () -> kind.initial, (k, v, aggregate) -> kind.step(aggregate, v), materialized);
        }
    }

    private KTable<String, Long> tableAggregate(TableExpr.TableAggregate a) {
        KTable<String, Long> in = table(a.in());
        KGroupedTable<String, Long> grouped = a.repartition() == null
                ? in.groupBy((k, v) -> KeyValue.pair(a.groupKey().apply(k, v), TableAggKind.weight(v)))
                : in.groupBy(
                        (k, v) -> KeyValue.pair(a.groupKey().apply(k, v), TableAggKind.weight(v)),
                        Grouped.as(a.repartition()));
        TableAggKind kind = a.kind();
        KTable<String, Long> aggregated =
                switch (kind.api) {
                    case COUNT -> grouped.count(materialized(a.store()));
                    case REDUCE -> grouped.reduce(
                            (sum, w) -> sum + kind.contribution(w),
                            (sum, w) -> sum - kind.contribution(w),
                            materialized(a.store()));
                    case AGGREGATE -> grouped.aggregate(
                            () -> 0L,
                            (k, w, sum) -> sum + kind.contribution(w),
                            (k, w, sum) -> sum - kind.contribution(w),
                            materialized(a.store()));
                };
        return aggregated.filter((k, v) -> v != 0);
    }

    private static Materialized<String, Long, StateStore> materialized(StoreSpec spec) {
        Materialized<String, Long, StateStore> materialized = spec.inMemory()
                ? Materialized.as(Stores.inMemoryKeyValueStore(spec.name()))
                : Materialized.as(spec.name());
        return spec.cached() ? materialized : materialized.withCachingDisabled();
    }
}
