package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.state.errors.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingStoreTest {
    private final Path root = TestDirs.create("weir-cache-test");
    private final List<String> logged = new ArrayList<>();
    private final List<String> forwarded = new ArrayList<>();
    private KeyValueStore<String, String> store;

    @AfterEach
    void cleanUp() {
        if (store != null && store.state() == StoreState.OPEN) {
            store.close();
        }
        TestDirs.delete(root);
    }

    private KeyValueStore<String, String> open(long cacheBytes, ChangelogHook hook) {
        store = KeyValueStores.builder("cached", Serdes.string(), Serdes.string())
                .lmdb(root.resolve("s"))
                .config(TestDirs.fastConfig().withCacheMaxBytes(cacheBytes))
                .changelog(hook)
                .flushListener((k, v, old) -> forwarded.add(k + "=" + v))
                .build();
        return store;
    }

    private ChangelogHook recording() {
        return (k, v) -> logged.add(new String(k, StandardCharsets.UTF_8) + "="
                + (v == null ? null : new String(v, StandardCharsets.UTF_8)));
    }

    @Test
    void repeatedUpdatesOfAKeyCollapseToTheLastBetweenFlushes() {
        KeyValueStore<String, String> s = open(1 << 20, recording());
        for (int i = 0; i < 100; i++) {
            s.put("hot", "v" + i);
        }
        s.put("cold", "x");
        s.delete("cold");
        assertEquals(List.of(), logged, "nothing reaches the changelog before a flush");
        assertEquals("v99", s.get("hot"));
        s.flush();
        assertEquals(List.of("hot=v99", "cold=null"), logged, "in the order of each key's last update");
        assertEquals(logged, forwarded, "store, changelog and forwarder see one order");
    }

    @Test
    void evictingADirtyEntryWritesItDownFirst() {
        KeyValueStore<String, String> s = open(300, recording());
        for (int i = 0; i < 50; i++) {
            s.put(String.format("k%02d", i), "v" + i);
        }
        assertTrue(logged.size() >= 40, "most entries were evicted and written down: " + logged.size());
        assertEquals(logged, forwarded);
        for (int i = 0; i < 50; i++) {
            assertEquals("v" + i, s.get(String.format("k%02d", i)));
        }
        s.commit(9);
        assertEquals(50, s.readOnlyView().approximateNumEntries());
        assertEquals(50, logged.size(), "each key written down exactly once");
    }

    @Test
    void aWriteTheChangelogHookRejectsIsNotApplied() {
        KeyValueStore<String, String> s = open(1 << 20, (k, v) -> {
            if (new String(k, StandardCharsets.UTF_8).equals("bad")) {
                throw new IllegalStateException("changelog unavailable");
            }
            logged.add(new String(k, StandardCharsets.UTF_8));
        });
        s.put("bad", "1");
        s.put("good", "2");
        assertThrows(IllegalStateException.class, s::flush);
        assertEquals("1", s.get("bad"), "still dirty in the cache, retried by the next flush");
        assertThrows(IllegalStateException.class, () -> s.commit(1));
        assertEquals(OptionalLong.empty(), s.committedOffset());
        assertNull(s.readOnlyView().get("bad"));
    }

    @Test
    void viewReadsCommittedDataNotTheCache() {
        KeyValueStore<String, String> s = open(1 << 20, recording());
        s.put("a", "1");
        assertNull(s.readOnlyView().get("a"));
        s.commit(1);
        assertEquals("1", s.readOnlyView().get("a"));
    }

    @Test
    void builderRejectsFlushListenerWithoutCache() {
        KeyValueStoreBuilder<String, String> b = KeyValueStores.builder("x", Serdes.string(), Serdes.string())
                .inMemory()
                .config(StoreConfig.DEFAULTS.withCacheMaxBytes(0))
                .flushListener((k, v, old) -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertTrue(e.getMessage().contains("statestore.cache.max.bytes"), e.getMessage());
    }

    @Test
    void builderRejectsARepeatedOption() {
        KeyValueStoreBuilder<String, String> b =
                KeyValueStores.builder("x", Serdes.string(), Serdes.string()).inMemory();
        assertThrows(IllegalStateException.class, () -> b.lmdb(root));
    }

    @Test
    void cacheSizeComesFromTheFamiliarConfigKey() {
        StoreConfig c = StoreConfig.fromMap(Map.of("statestore.cache.max.bytes", "1024", "bootstrap.servers", "x"));
        assertEquals(1024, c.cacheMaxBytes());
        ConfigException bad = assertThrows(
                ConfigException.class, () -> StoreConfig.fromMap(Map.of("statestore.cache.max.bytes", "-1")));
        assertTrue(bad.getMessage().contains("statestore.cache.max.bytes"), bad.getMessage());
        assertThrows(ConfigException.class, () -> StoreConfig.fromMap(Map.of("statestore.cache.max.byte", "1")));
        assertThrows(ConfigException.class, () -> StoreConfig.fromMap(Map.of("statestore.lmdb.sync", "sometimes")));
    }
}
