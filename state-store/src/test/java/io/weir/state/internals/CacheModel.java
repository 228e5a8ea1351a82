package io.weir.state.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.utils.MockTime;
import io.weir.state.KeyValue;
import io.weir.state.StoreConfig;
import io.weir.state.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cached store stack (cache over change logging over a backend) next to its model. Records what the changelog
 * hook and the forwarder receive, and what was written since the last flush.
 */
final class CacheModel {
    final Path dir;
    final long cacheBytes;
    BytesStore backend;
    CachingBytesStore cache;
    final TreeMap<String, String> model = new TreeMap<>(CacheModel::byteOrder);
    TreeMap<String, String> committed = new TreeMap<>(CacheModel::byteOrder);
    final List<Map.Entry<String, String>> changelog = new ArrayList<>();
    final List<Map.Entry<String, String>> forwarded = new ArrayList<>();
    /** What the cache has written down to the layer below, key by key (null: deleted or never written). */
    private final Map<String, String> writtenDown = new java.util.HashMap<>();

    /** The keys written since the last flush, in the order of their last write. */
    final Set<String> writtenSinceFlush = new java.util.LinkedHashSet<>();

    int changelogAtLastFlush;
    long nextOffset;

    CacheModel(Path dir, long cacheBytes) {
        this.dir = dir;
        this.cacheBytes = cacheBytes;
        open();
    }

    static int byteOrder(String a, String b) {
        return ByteKeys.compare(bytes(a), bytes(b));
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private void open() {
        StoreConfig config = TestDirs.fastConfig();
        StoreLifecycle lifecycle = new StoreLifecycle("cached", new MockTime(), Duration.ZERO);
        backend = dir == null
                ? new InMemoryBytesStore("cached", lifecycle, new RecordLimits("cached", 511, 1 << 20), 100)
                : LmdbBytesStore.open("cached", dir, config, lifecycle);
        BytesStore logged = new ChangeLoggingBytesStore(
                backend,
                (k, v) -> changelog.add(new java.util.AbstractMap.SimpleImmutableEntry<>(string(k), string(v))));
        cache = new CachingBytesStore(logged, cacheBytes, (k, v, old) -> {
            // The old value a flush reports is what the layer below held: the last value written down.
            assertEquals(writtenDown.get(string(k)), string(old), "old value of " + string(k));
            writtenDown.put(string(k), string(v));
            forwarded.add(new java.util.AbstractMap.SimpleImmutableEntry<>(string(k), string(v)));
        });
    }

    void put(String k, String v) {
        cache.put(bytes(k), bytes(v));
        apply(k, v);
    }

    void delete(String k) {
        assertEquals(model.get(k), string(cache.delete(bytes(k))), "delete " + k);
        apply(k, null);
    }

    private void apply(String k, String v) {
        writtenSinceFlush.remove(k);
        writtenSinceFlush.add(k);
        if (v == null) {
            model.remove(k);
        } else {
            model.put(k, v);
        }
    }

    void checkGet(String k) {
        assertEquals(model.get(k), string(cache.get(bytes(k))), "get " + k);
    }

    void checkScan(String from, String to, boolean reverse) {
        ScanRange range = ScanRange.closed(bytes(from), bytes(to), reverse);
        List<Map.Entry<String, String>> expected = new ArrayList<>();
        if (byteOrder(from, to) <= 0) {
            var sub = model.subMap(from, true, to, true);
            expected.addAll((reverse ? sub.descendingMap() : sub).entrySet());
        }
        assertEquals(expected, list(cache.scan(range)), "scan " + from + ".." + to + (reverse ? " reverse" : ""));
    }

    /**
     * Flush, then: the store below holds the model; replaying the whole changelog reproduces the model; the
     * forwarder saw exactly the changelog sequence; if nothing was evicted, this flush logged each written key once.
     */
    void flush(boolean expectNoEvictions) {
        cache.flush();
        assertEquals(new ArrayList<>(model.entrySet()), list(backend.scan(ScanRange.ALL)), "store after flush");
        TreeMap<String, String> replay = new TreeMap<>(CacheModel::byteOrder);
        for (Map.Entry<String, String> e : changelog) {
            if (e.getValue() == null) {
                replay.remove(e.getKey());
            } else {
                replay.put(e.getKey(), e.getValue());
            }
        }
        assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(replay.entrySet()), "changelog replay");
        assertEquals(changelog, forwarded, "forwarder and changelog see one sequence");
        List<Map.Entry<String, String>> logged = changelog.subList(changelogAtLastFlush, changelog.size());
        if (expectNoEvictions) {
            Set<String> keys = new HashSet<>();
            for (Map.Entry<String, String> e : logged) {
                assertTrue(keys.add(e.getKey()), "key logged twice in one flush: " + e.getKey());
            }
            assertEquals(writtenSinceFlush, keys, "each written key logged once");
            List<String> order = logged.stream().map(Map.Entry::getKey).toList();
            assertEquals(List.copyOf(writtenSinceFlush), order, "flush in the order of each key's last write");
        }
        assertEquals(0, cache.dirtyEntries());
        changelogAtLastFlush = changelog.size();
        writtenSinceFlush.clear();
    }

    void commit() {
        long offset = nextOffset++;
        cache.commit(OptionalLong.of(offset));
        changelogAtLastFlush = changelog.size();
        writtenSinceFlush.clear();
        committed = new TreeMap<>(model);
        assertEquals(
                new ArrayList<>(committed.entrySet()),
                list(backend.readOnlyView().scan(ScanRange.ALL)));
    }

    /** Reopen without committing: the cache's dirty entries and the store's pending writes are gone. */
    void reopen() {
        cache.close();
        open();
        model.clear();
        model.putAll(committed);
        writtenDown.clear();
        writtenDown.putAll(committed);
        writtenSinceFlush.clear();
        // The changelog consumer would roll back to the committed offset; restart the recorded sequence from the
        // committed state so that replay still means "from the checkpoint".
        changelog.clear();
        forwarded.clear();
        for (Map.Entry<String, String> e : committed.entrySet()) {
            changelog.add(e);
            forwarded.add(e);
        }
        changelogAtLastFlush = changelog.size();
        assertEquals(new ArrayList<>(committed.entrySet()), list(cache.scan(ScanRange.ALL)), "after reopen");
    }

    static List<Map.Entry<String, String>> list(BytesIterator it) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> kv = it.next();
                out.add(Map.entry(string(kv.key()), string(kv.value())));
            }
        }
        return out;
    }

    void close() {
        if (cache.state() != io.weir.state.StoreState.CLOSED) {
            cache.close();
        }
    }

    @Override
    public String toString() {
        return "CacheModel" + model;
    }
}
