package io.weir.state.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.KeyValueStore;
import io.weir.state.KeyValueStores;
import io.weir.state.RestoreListener;
import io.weir.state.Serdes;
import io.weir.state.TestDirs;
import io.weir.state.WindowStore;
import io.weir.state.WindowStoreBuilder;
import io.weir.state.WindowStores;
import io.weir.state.WindowedKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The window store's contract on both backends; retention and reopen on real LMDB files. */
class WindowStoreTest {
    private static final long MINUTE = 60_000L;
    /** Retention 4 min: segments of 2 min. */
    private static final Duration RETENTION = Duration.ofMinutes(4);

    private final Path root = TestDirs.create("weir-window-test");
    private final List<AutoCloseable> open = new ArrayList<>();
    private int next;

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        TestDirs.delete(root);
    }

    private WindowStoreBuilder<String, Long> builder(boolean lmdb, Path dir) {
        WindowStoreBuilder<String, Long> b = WindowStores.windowStoreBuilder("w", Serdes.string(), Serdes.int64())
                .retention(RETENTION)
                .windowSize(Duration.ofMinutes(1))
                .config(TestDirs.fastConfig());
        return lmdb ? b.lmdb(dir) : b.inMemory();
    }

    private WindowStore<String, Long> open(boolean lmdb) {
        return track(builder(lmdb, root.resolve("s" + next++)).build());
    }

    private <T extends AutoCloseable> T track(T store) {
        open.add(store);
        return store;
    }

    private static <K, V> List<KeyValue<K, V>> drain(KeyValueIterator<K, V> it) {
        List<KeyValue<K, V>> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static KeyValue<WindowedKey<String>, Long> window(String key, long start, long value) {
        return new KeyValue<>(new WindowedKey<>(key, start, start + MINUTE), value);
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void fetchOfOneKeyIsItsWindowsInTimeOrderAcrossSegments(boolean lmdb) {
        WindowStore<String, Long> store = open(lmdb);
        for (long t = 0; t < 4; t++) {
            store.put("k", t, t * MINUTE);
            store.put("other", 100 + t, t * MINUTE);
        }
        assertEquals(
                List.of(new KeyValue<>(MINUTE, 1L), new KeyValue<>(2 * MINUTE, 2L), new KeyValue<>(3 * MINUTE, 3L)),
                drain(store.fetch("k", MINUTE, 3 * MINUTE)));
        assertEquals(
                List.of(new KeyValue<>(2 * MINUTE, 2L), new KeyValue<>(MINUTE, 1L)),
                drain(store.backwardFetch("k", MINUTE, 2 * MINUTE)));
        assertEquals(2L, store.fetch("k", 2 * MINUTE));
        assertNull(store.fetch("k", 2 * MINUTE + 1));
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void aKeyThatPrefixesAnotherDoesNotSeeTheOthersWindows(boolean lmdb) {
        WindowStore<String, Long> store = open(lmdb);
        store.put("a", 1L, 0);
        store.put("a\u0000", 2L, 0);
        store.put("ab", 3L, 0);
        assertEquals(List.of(new KeyValue<>(0L, 1L)), drain(store.fetch("a", 0, MINUTE)));
        // Stored order is by key bytes then times, so keys of different lengths may interleave: compare as sets.
        assertEquals(
                Set.of(window("a", 0, 1), window("a\u0000", 0, 2)),
                Set.copyOf(drain(store.fetch("a", "a\u0000", 0, 0))));
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void keyRangeAndFetchAllKeepOnlyStartsInTheTimeRange(boolean lmdb) {
        WindowStore<String, Long> store = open(lmdb);
        store.put("a", 1L, 0);
        store.put("b", 2L, MINUTE);
        store.put("c", 3L, MINUTE);
        store.put("b", 4L, 3 * MINUTE);
        assertEquals(List.of(window("b", MINUTE, 2), window("c", MINUTE, 3)), drain(store.fetchAll(MINUTE, MINUTE)));
        assertEquals(
                List.of(window("b", MINUTE, 2), window("b", 3 * MINUTE, 4)),
                drain(store.fetch("b", "b", 0, 5 * MINUTE)));
        assertEquals(
                List.of(window("b", 3 * MINUTE, 4), window("c", MINUTE, 3), window("b", MINUTE, 2), window("a", 0, 1)),
                drain(store.backwardAll()));
        assertEquals(4, drain(store.all()).size());
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void aNullValueDeletesTheWindow(boolean lmdb) {
        WindowStore<String, Long> store = open(lmdb);
        store.put("k", 1L, 0);
        store.commit();
        store.put("k", null, 0);
        assertNull(store.fetch("k", 0));
        assertEquals(List.of(), drain(store.all()));
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void windowsOlderThanTheRetentionAreHiddenAndTheirPutsDroppedAndCounted(boolean lmdb) {
        WindowStore<String, Long> store = open(lmdb);
        store.put("k", 1L, 0);
        store.put("k", 2L, 4 * MINUTE); // 0 is now at the retention boundary: 4 min - 4 min + 1 > 0
        assertNull(store.fetch("k", 0));
        assertEquals(List.of(new KeyValue<>(4 * MINUTE, 2L)), drain(store.fetch("k", 0, 10 * MINUTE)));
        store.put("k", 3L, 0);
        assertEquals(1, store.expiredRecords());
        store.put("k", 4L, 1 + MINUTE);
        assertEquals(4L, store.fetch("k", 1 + MINUTE));
        assertEquals(4 * MINUTE, store.observedStreamTime());
    }

    @Test
    void retentionDropsWholeSegmentsFromTheFilesAtCommit() {
        Path dir = root.resolve("dropping");
        WindowStore<String, Long> store = builder(true, dir).build();
        for (int i = 0; i < 100; i++) {
            store.put("k" + i, (long) i, i % 2 == 0 ? 0 : MINUTE); // all in segment 0 (0..2 min)
            store.put("k" + i, (long) i, 2 * MINUTE); // segment 1
        }
        store.commit();
        store.put("k", 0L, 6 * MINUTE); // min live 2 min + 1 ms: segment 0 expired, segment 1 partly live
        store.commit();
        assertEquals(1, ((AbstractSegmentedStore<?, ?>) store).droppedSegments());
        store.close();
        // Read the raw LMDB entries: only segment 1's 100 and segment 3's one remain.
        try (KeyValueStore<byte[], byte[]> raw = KeyValueStores.builder("raw", Serdes.byteArray(), Serdes.byteArray())
                .lmdb(dir)
                .config(TestDirs.fastConfig())
                .build()) {
            List<Long> segments = new ArrayList<>();
            try (KeyValueIterator<byte[], byte[]> it = raw.all()) {
                it.forEachRemaining(kv -> segments.add(SegmentedBytesStore.readSegment(kv.key())));
            }
            assertEquals(101, segments.size());
            assertEquals(List.of(1L, 3L), segments.stream().distinct().toList());
        }
    }

    @Test
    void reopenAfterCloseKeepsCommittedWindowsAndStreamTimeAndLosesTheRest() {
        Path dir = root.resolve("reopen");
        WindowStore<String, Long> store = builder(true, dir).build();
        store.put("k", 1L, 5 * MINUTE);
        store.put("k", 2L, 6 * MINUTE);
        store.commit(41);
        store.put("k", 3L, 7 * MINUTE);
        store.close();
        WindowStore<String, Long> reopened = track(builder(true, dir).build());
        assertEquals(6 * MINUTE, reopened.observedStreamTime());
        assertEquals(41, reopened.committedOffset().getAsLong());
        assertEquals(
                List.of(new KeyValue<>(5 * MINUTE, 1L), new KeyValue<>(6 * MINUTE, 2L)),
                drain(reopened.fetch("k", 0, Long.MAX_VALUE)));
        reopened.put("k", 9L, MINUTE); // expired against the recovered stream time
        assertEquals(1, reopened.expiredRecords());
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void changelogRecordsRestoreTheSameWindowsInBulk(boolean lmdb) {
        List<ChangelogRecord> changelog = new ArrayList<>();
        WindowStore<String, Long> source = track(WindowStores.windowStoreBuilder("w", Serdes.string(), Serdes.int64())
                .retention(RETENTION)
                .windowSize(Duration.ofMinutes(1))
                .config(TestDirs.fastConfig())
                .changelog((k, v) -> changelog.add(new ChangelogRecord(changelog.size(), k, v)))
                .inMemory()
                .build());
        for (int i = 0; i < 50; i++) {
            source.put("k" + i % 7, (long) i, (i % 9) * MINUTE);
        }
        source.put("k1", null, 8 * MINUTE);
        source.commit();
        WindowStore<String, Long> restored = open(lmdb);
        restored.restore(changelog.iterator(), changelog.size(), RestoreListener.NONE);
        assertEquals(source.observedStreamTime(), restored.observedStreamTime());
        assertEquals(drain(source.all()), drain(restored.all()));
        assertEquals(changelog.size() - 1, restored.committedOffset().getAsLong());
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void theReadOnlyViewSeesCommittedWindowsOnly(boolean lmdb) {
        WindowStore<String, Long> store = open(lmdb);
        store.put("k", 1L, 0);
        store.commit();
        store.put("k", 2L, MINUTE);
        assertEquals(List.of(window("k", 0, 1)), drain(store.readOnlyView().all()));
        assertEquals(1L, store.readOnlyView().fetch("k", 0));
        store.commit();
        assertEquals(
                List.of(new KeyValue<>(0L, 1L), new KeyValue<>(MINUTE, 2L)),
                drain(store.readOnlyView().fetch("k", 0, MINUTE)));
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void aStoreThatRetainsDuplicatesKeepsEveryPut(boolean lmdb) {
        WindowStore<String, Long> store =
                track(builder(lmdb, root.resolve("dups")).retainDuplicates().build());
        store.put("k", 1L, 0);
        store.put("k", 2L, 0);
        store.put("k", null, 0);
        assertEquals(List.of(new KeyValue<>(0L, 1L), new KeyValue<>(0L, 2L)), drain(store.fetch("k", 0, 0)));
    }

    @Test
    void aReopenedStoreThatRetainsDuplicatesAddsToTheDuplicatesItFound() {
        Path dir = root.resolve("dups-reopen");
        WindowStore<String, Long> store = builder(true, dir).retainDuplicates().build();
        store.put("k", 1L, 0);
        store.put("k", 2L, 0);
        store.commit(7);
        store.close();
        WindowStore<String, Long> reopened =
                track(builder(true, dir).retainDuplicates().build());
        reopened.put("k", 3L, 0); // the new instance's sequence starts over: it must not take 1's or 2's place
        reopened.put("k", 4L, MINUTE);
        assertEquals(
                List.of(new KeyValue<>(0L, 1L), new KeyValue<>(0L, 2L), new KeyValue<>(0L, 3L)),
                drain(reopened.fetch("k", 0, 0)));
        assertEquals(List.of(new KeyValue<>(MINUTE, 4L)), drain(reopened.fetch("k", MINUTE, MINUTE)));
    }

    @Test
    void theCacheForwardsFlushedWindowsWithTheirOldValues() {
        List<String> flushed = new ArrayList<>();
        WindowStore<String, Long> store = track(WindowStores.windowStoreBuilder("w", Serdes.string(), Serdes.int64())
                .retention(RETENTION)
                .windowSize(Duration.ofMinutes(1))
                .config(TestDirs.fastConfig().withCacheMaxBytes(1 << 20))
                .flushListener(
                        (k, v, old) -> flushed.add(k.key() + "@" + k.start() + "-" + k.end() + "=" + v + "/" + old))
                .inMemory()
                .build());
        store.put("k", 1L, 0);
        store.put("k", 2L, 0);
        store.commit();
        store.put("k", 3L, 0);
        store.commit();
        assertEquals(List.of("k@0-60000=2/null", "k@0-60000=3/2"), flushed);
    }

    @Test
    void theBuilderRejectsAWindowLargerThanTheRetention() {
        WindowStoreBuilder<String, Long> b = WindowStores.windowStoreBuilder("w", Serdes.string(), Serdes.int64())
                .retention(Duration.ofMinutes(1))
                .windowSize(Duration.ofMinutes(2))
                .inMemory();
        assertThrows(IllegalStateException.class, b::build);
        assertThrows(IllegalStateException.class, () -> b.retention(Duration.ofMinutes(3)));
    }
}
