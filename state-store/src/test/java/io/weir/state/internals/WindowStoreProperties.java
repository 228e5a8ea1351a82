package io.weir.state.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.ReadOnlyWindowStore;
import io.weir.state.Serdes;
import io.weir.state.TestDirs;
import io.weir.state.WindowStore;
import io.weir.state.WindowStoreBuilder;
import io.weir.state.WindowStores;
import io.weir.state.WindowedKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The window store (LMDB, with reopen; and in memory) against a reference model under random puts and deletes
 * across segments, retention advances, commits, reopens without commit (what a crash leaves), one-key and key-range
 * fetches in both directions and the committed view. The model keeps what is physically stored (a segment's entries
 * stay until a commit drops the segment) and filters reads by the retention, which is the store's contract.
 */
class WindowStoreProperties {
    private static final long SECOND = 1000;
    private static final Duration RETENTION = Duration.ofMinutes(2); // segments of 60 s
    private static final List<String> KEYS = List.of("a", "ab", "b", "\u00e9");

    private final Path root = TestDirs.create("weir-window-props");
    private int next;

    sealed interface Op permits Put, FetchKey, FetchRange, Commit, Reopen {}

    record Put(String key, long start, Long value) implements Op {}

    record FetchKey(String key, long from, long to, boolean backward) implements Op {}

    record FetchRange(String from, String to, long fromTime, long toTime) implements Op {}

    record Commit() implements Op {}

    record Reopen() implements Op {}

    @AfterProperty
    void cleanUp() {
        TestDirs.delete(root);
    }

    @Property(tries = 100)
    void lmdbWindowStoreMatchesTheModel(@ForAll("ops") List<Op> ops) {
        run(true, ops);
    }

    @Property(tries = 100)
    void inMemoryWindowStoreMatchesTheModel(@ForAll("ops") List<Op> ops) {
        run(false, ops.stream().filter(op -> !(op instanceof Reopen)).toList());
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<Long> time = Arbitraries.longs().between(0, 600).map(s -> s * SECOND);
        Arbitrary<Op> put = Combinators.combine(
                        key, time, Arbitraries.longs().between(0, 99).injectNull(0.15))
                .as(Put::new);
        Arbitrary<Op> fetchKey = Combinators.combine(key, time, time, Arbitraries.of(true, false))
                .as((k, a, b, back) -> new FetchKey(k, Math.min(a, b), Math.max(a, b), back));
        Arbitrary<Op> fetchRange = Combinators.combine(key.injectNull(0.2), key.injectNull(0.2), time, time)
                .as((a, b, t1, t2) -> new FetchRange(a, b, Math.min(t1, t2), Math.max(t1, t2)));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, put),
                net.jqwik.api.Tuple.of(3, fetchKey),
                net.jqwik.api.Tuple.of(2, fetchRange),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Commit())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())));
        return op.list().ofMaxSize(60);
    }

    private WindowStore<String, Long> open(boolean lmdb, Path dir) {
        WindowStoreBuilder<String, Long> b = WindowStores.windowStoreBuilder("w", Serdes.string(), Serdes.int64())
                .retention(RETENTION)
                .windowSize(Duration.ofSeconds(30))
                .config(TestDirs.fastConfig());
        return (lmdb ? b.lmdb(dir) : b.inMemory()).build();
    }

    private void run(boolean lmdb, List<Op> ops) {
        Path dir = root.resolve("s" + next++);
        Model model = new Model();
        WindowStore<String, Long> store = open(lmdb, dir);
        try {
            for (Op op : ops) {
                if (op instanceof Put p) {
                    store.put(p.key(), p.value(), p.start());
                    model.put(p.key(), p.start(), p.value());
                } else if (op instanceof FetchKey f) {
                    List<KeyValue<Long, Long>> expected = model.fetch(model.live, f.key(), f.from(), f.to());
                    assertEquals(
                            f.backward() ? reversed(expected) : expected,
                            drain(
                                    f.backward()
                                            ? store.backwardFetch(f.key(), f.from(), f.to())
                                            : store.fetch(f.key(), f.from(), f.to())),
                            op.toString());
                    assertEquals(
                            model.fetch(model.committed, f.key(), f.from(), f.to()),
                            drain(store.readOnlyView().fetch(f.key(), f.from(), f.to())),
                            "committed view: " + op);
                } else if (op instanceof FetchRange r) {
                    checkRange(store, store.readOnlyView(), model, r);
                } else if (op instanceof Commit) {
                    store.commit();
                    model.commit();
                } else {
                    store.close();
                    store = open(true, dir);
                    model.reopen();
                    assertEquals(model.observed, store.observedStreamTime(), "stream time after reopen");
                }
            }
            assertEquals(model.observed, store.observedStreamTime());
        } finally {
            store.close();
        }
    }

    private static void checkRange(
            WindowStore<String, Long> store, ReadOnlyWindowStore<String, Long> view, Model model, FetchRange r) {
        Set<KeyValue<WindowedKey<String>, Long>> expected = model.range(model.live, r);
        assertEquals(
                expected, new HashSet<>(drain(store.fetch(r.from(), r.to(), r.fromTime(), r.toTime()))), r.toString());
        assertEquals(
                expected,
                new HashSet<>(drain(store.backwardFetch(r.from(), r.to(), r.fromTime(), r.toTime()))),
                r.toString());
        assertEquals(
                model.range(model.committed, r),
                new HashSet<>(drain(view.fetch(r.from(), r.to(), r.fromTime(), r.toTime()))),
                "committed view: " + r);
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static <K, V> List<KeyValue<K, V>> drain(KeyValueIterator<K, V> it) {
        List<KeyValue<K, V>> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** What is stored, by (key, start); committed copy; the newest start seen; reads filtered by retention. */
    private static final class Model {
        final long retention = RETENTION.toMillis();
        final long interval = SegmentedBytesStore.segmentInterval(retention);
        TreeMap<Map.Entry<String, Long>, Long> live =
                new TreeMap<>(Map.Entry.<String, Long>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        TreeMap<Map.Entry<String, Long>, Long> committed = new TreeMap<>(live.comparator());
        long observed = Long.MIN_VALUE;
        long committedObserved = Long.MIN_VALUE;

        long minLive() {
            return observed == Long.MIN_VALUE ? Long.MAX_VALUE : observed - retention + 1;
        }

        void put(String key, long start, Long value) {
            if (observed != Long.MIN_VALUE && start < minLive()) {
                return;
            }
            observed = Math.max(observed, start);
            if (value == null) {
                live.remove(Map.entry(key, start));
            } else {
                live.put(Map.entry(key, start), value);
            }
        }

        List<KeyValue<Long, Long>> fetch(TreeMap<Map.Entry<String, Long>, Long> data, String key, long from, long to) {
            List<KeyValue<Long, Long>> out = new ArrayList<>();
            data.forEach((k, v) -> {
                if (k.getKey().equals(key) && k.getValue() >= Math.max(from, minLive()) && k.getValue() <= to) {
                    out.add(new KeyValue<>(k.getValue(), v));
                }
            });
            return out;
        }

        Set<KeyValue<WindowedKey<String>, Long>> range(TreeMap<Map.Entry<String, Long>, Long> data, FetchRange r) {
            Set<KeyValue<WindowedKey<String>, Long>> out = new HashSet<>();
            data.forEach((k, v) -> {
                String key = k.getKey();
                long start = k.getValue();
                boolean keyIn = (r.from() == null || compareBytes(key, r.from()) >= 0)
                        && (r.to() == null || compareBytes(key, r.to()) <= 0);
                if (keyIn && start >= Math.max(r.fromTime(), minLive()) && start <= r.toTime()) {
                    out.add(new KeyValue<>(new WindowedKey<>(key, start, start + 30 * SECOND), v));
                }
            });
            return out;
        }

        static int compareBytes(String a, String b) {
            return java.util.Arrays.compareUnsigned(
                    a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void commit() {
            if (observed != Long.MIN_VALUE) {
                long firstLiveSegment = Math.floorDiv(minLive(), interval);
                live.keySet().removeIf(k -> Math.floorDiv(k.getValue(), interval) < firstLiveSegment);
            }
            committed = new TreeMap<>(live);
            committedObserved = observed;
        }

        /** After a reopen the store reads its stream time back from its newest segment's entries. */
        void reopen() {
            live = new TreeMap<>(committed);
            long lastSegment = live.keySet().stream()
                    .mapToLong(k -> Math.floorDiv(k.getValue(), interval))
                    .max()
                    .orElse(Long.MIN_VALUE);
            observed = live.keySet().stream()
                    .filter(k -> Math.floorDiv(k.getValue(), interval) == lastSegment)
                    .mapToLong(Map.Entry::getValue)
                    .max()
                    .orElse(Long.MIN_VALUE);
            committedObserved = observed;
        }
    }
}
