package io.weir.state.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.Serdes;
import io.weir.state.SessionStore;
import io.weir.state.SessionStoreBuilder;
import io.weir.state.TestDirs;
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

/** The session store's contract on both backends; reopen on real LMDB files. */
class SessionStoreTest {
    private static final long MINUTE = 60_000L;

    private final Path root = TestDirs.create("weir-session-test");
    private final List<AutoCloseable> open = new ArrayList<>();
    private int next;

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        TestDirs.delete(root);
    }

    private SessionStoreBuilder<String, Long> builder(boolean lmdb, Path dir) {
        SessionStoreBuilder<String, Long> b = WindowStores.sessionStoreBuilder("s", Serdes.string(), Serdes.int64())
                .retention(Duration.ofMinutes(10))
                .config(TestDirs.fastConfig());
        return lmdb ? b.lmdb(dir) : b.inMemory();
    }

    private SessionStore<String, Long> open(boolean lmdb) {
        SessionStore<String, Long> store =
                builder(lmdb, root.resolve("s" + next++)).build();
        open.add(store);
        return store;
    }

    private static List<KeyValue<WindowedKey<String>, Long>> drain(KeyValueIterator<WindowedKey<String>, Long> it) {
        List<KeyValue<WindowedKey<String>, Long>> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static KeyValue<WindowedKey<String>, Long> session(String key, long start, long end, long value) {
        return new KeyValue<>(new WindowedKey<>(key, start, end), value);
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void findSessionsReturnsTheSessionsThatOverlapTheInterval(boolean lmdb) {
        SessionStore<String, Long> store = open(lmdb);
        store.put(new WindowedKey<>("k", 0, 10), 1L);
        store.put(new WindowedKey<>("k", 20, 30), 2L);
        store.put(new WindowedKey<>("k", 40, 50), 3L);
        store.put(new WindowedKey<>("kk", 20, 30), 9L);
        // A record at 25 with a gap of 5 touches sessions ending at or after 20 and starting at or before 30.
        assertEquals(List.of(session("k", 20, 30, 2)), drain(store.findSessions("k", 20, 30)));
        assertEquals(List.of(session("k", 0, 10, 1), session("k", 20, 30, 2)), drain(store.findSessions("k", 10, 39)));
        assertEquals(
                List.of(session("k", 40, 50, 3), session("k", 20, 30, 2), session("k", 0, 10, 1)),
                drain(store.backwardFetch("k")));
        assertEquals(
                Set.of(session("k", 20, 30, 2), session("kk", 20, 30, 9)),
                Set.copyOf(drain(store.findSessions("k", "kz", 25, 25))));
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void fetchSessionFindsExactlyOneSessionAndRemoveDeletesIt(boolean lmdb) {
        SessionStore<String, Long> store = open(lmdb);
        store.put(new WindowedKey<>("k", 0, 10), 1L);
        assertEquals(1L, store.fetchSession("k", 0, 10));
        assertNull(store.fetchSession("k", 0, 11));
        store.commit();
        assertEquals(1L, store.readOnlyView().fetchSession("k", 0, 10));
        store.remove(new WindowedKey<>("k", 0, 10));
        assertNull(store.fetchSession("k", 0, 10));
        assertEquals(List.of(), drain(store.fetch("k")));
        assertEquals(List.of(session("k", 0, 10, 1)), drain(store.readOnlyView().fetch("k")));
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void sessionsEndingBeforeTheRetentionAreDroppedAndCounted(boolean lmdb) {
        SessionStore<String, Long> store = open(lmdb);
        store.put(new WindowedKey<>("k", 0, MINUTE), 1L);
        store.put(new WindowedKey<>("k", 19 * MINUTE, 20 * MINUTE), 2L); // segments of 5 min: 0 is dropped
        store.commit();
        assertEquals(List.of(session("k", 19 * MINUTE, 20 * MINUTE, 2)), drain(store.fetch("k")));
        store.put(new WindowedKey<>("k", 0, MINUTE), 3L);
        assertEquals(1, store.expiredRecords());
        assertEquals(1, ((AbstractSegmentedStore<?, ?>) store).droppedSegments());
    }

    @Test
    void reopenKeepsCommittedSessions() {
        Path dir = root.resolve("reopen");
        SessionStore<String, Long> store = builder(true, dir).build();
        store.put(new WindowedKey<>("k", 0, 10), 1L);
        store.commit(7);
        store.put(new WindowedKey<>("k", 20, 30), 2L);
        store.close();
        SessionStore<String, Long> reopened = builder(true, dir).build();
        open.add(reopened);
        assertEquals(List.of(session("k", 0, 10, 1)), drain(reopened.fetch("k")));
        assertEquals(10, reopened.observedStreamTime());
        assertEquals(7, reopened.committedOffset().getAsLong());
    }
}
