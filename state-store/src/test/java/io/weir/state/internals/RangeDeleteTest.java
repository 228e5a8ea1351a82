package io.weir.state.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.common.utils.MockTime;
import io.weir.state.KeyValue;
import io.weir.state.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AbstractBytesStore#deleteRange}: how a segmented store drops expired segments. Keys are 4-byte big-endian
 * numbers 0..4,999 (many LMDB pages); the range [1,000, 3,000) goes.
 */
class RangeDeleteTest {
    private static final int KEYS = 5_000;
    private final Path root = TestDirs.create("weir-range-delete");

    private AbstractBytesStore open(boolean lmdb, String name) {
        StoreLifecycle lifecycle = new StoreLifecycle(name, new MockTime(), Duration.ZERO);
        return lmdb
                ? LmdbBytesStore.open(name, root.resolve(name), TestDirs.fastConfig(), lifecycle)
                : new InMemoryBytesStore(name, lifecycle, new RecordLimits(name, 511, 1 << 20), 100);
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static List<Integer> keys(BytesIterator it) {
        List<Integer> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> kv = it.next();
                out.add(ByteBuffer.wrap(kv.key()).getInt());
            }
        }
        return out;
    }

    private static List<Integer> expectedWithout(int from, int to, int... extra) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            if (i < from || i >= to) {
                out.add(i);
            }
        }
        for (int e : extra) {
            out.add(e);
        }
        out.sort(Integer::compare);
        return out;
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void aRangeIsGoneAtOnceForTheOwnerAndForReadersAfterTheCommit(boolean lmdb) {
        AbstractBytesStore store = open(lmdb, "ranges-" + lmdb);
        for (int i = 0; i < KEYS; i++) {
            store.put(key(i), new byte[] {1});
        }
        store.commit(OptionalLong.of(1));
        store.put(key(1_500), new byte[] {2}); // pending inside the range: goes with it
        store.put(key(3_500), new byte[] {2}); // pending outside: stays

        store.deleteRange(key(1_000), key(3_000));
        store.put(key(2_000), new byte[] {3}); // written after the delete: survives it

        List<Integer> expected = expectedWithout(1_000, 3_000, 2_000);
        assertEquals(expected, keys(store.scan(ScanRange.ALL)), "the owner sees the delete at once");
        assertNull(store.get(key(1_000)));
        assertNull(store.get(key(1_500)));
        assertNull(store.get(key(2_999)));
        assertArrayEquals(new byte[] {3}, store.get(key(2_000)));
        assertArrayEquals(new byte[] {1}, store.get(key(3_000)), "the end is exclusive");
        assertEquals(
                KEYS,
                keys(store.readOnlyView().scan(ScanRange.ALL)).size(),
                "readers see the last commit until the next");

        store.commit(OptionalLong.of(2));
        assertEquals(expected, keys(store.readOnlyView().scan(ScanRange.ALL)));
        assertArrayEquals(new byte[] {2}, store.get(key(3_500)));
        store.close();

        if (lmdb) {
            AbstractBytesStore reopened = open(true, "ranges-true");
            assertEquals(expected, keys(reopened.scan(ScanRange.ALL)), "the commit made it durable");
            assertEquals(OptionalLong.of(2), reopened.committedOffset());
            reopened.close();
        }
    }

    @ParameterizedTest(name = "lmdb={0}")
    @ValueSource(booleans = {true, false})
    void aRangeFromTheFirstKeyAndAnEmptyRangeAndAClosedStoreBeforeCommit(boolean lmdb) {
        AbstractBytesStore store = open(lmdb, "from-first-" + lmdb);
        for (int i = 0; i < KEYS; i++) {
            store.put(key(i), new byte[] {1});
        }
        store.commit(OptionalLong.of(1));

        store.deleteRange(key(10), key(10)); // empty: nothing
        store.deleteRange(null, key(4_000));
        assertEquals(expectedWithout(0, 4_000), keys(store.scan(ScanRange.ALL)));
        store.close(); // before the commit: the delete never reached the committed data

        if (lmdb) {
            AbstractBytesStore reopened = open(true, "from-first-true");
            assertEquals(KEYS, keys(reopened.scan(ScanRange.ALL)).size());
            reopened.deleteRange(null, key(4_000));
            reopened.commit(OptionalLong.of(2));
            assertEquals(expectedWithout(0, 4_000), keys(reopened.readOnlyView().scan(ScanRange.ALL)));
            reopened.close();
        }
    }
}
