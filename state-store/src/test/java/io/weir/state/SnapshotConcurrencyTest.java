package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A range scan that runs while the owner writes and commits sees exactly one snapshot: the committed data of the
 * moment it was opened. Threads are coordinated with latches: every scanner has read part of its range before the
 * first commit, and reads the rest only after the last one.
 */
class SnapshotConcurrencyTest {
    private static final int KEYS = 300;
    private static final int SCANNERS = 3;
    private static final int COMMITS = 5;

    private final Path root = TestDirs.create("weir-snapshot");
    private KeyValueStore<String, String> store;

    @AfterEach
    void cleanUp() {
        if (store != null && store.state() == StoreState.OPEN) {
            store.close();
        }
        TestDirs.delete(root);
    }

    private static String key(int i) {
        return String.format("k%04d", i);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "in-memory"})
    void scanSeesOneSnapshotWhileWritersCommit(String backend) throws Exception {
        KeyValueStoreBuilder<String, String> b = KeyValueStores.builder("snap", Serdes.string(), Serdes.string())
                .config(TestDirs.fastConfig().withCacheMaxBytes(64 << 10));
        store = "lmdb".equals(backend)
                ? b.lmdb(root.resolve("s")).build()
                : b.inMemory().build();
        for (int i = 0; i < KEYS; i++) {
            store.put(key(i), "v0");
        }
        store.commit(0);

        ReadOnlyKeyValueStore<String, String> view = store.readOnlyView();
        CountDownLatch scannersPartWay = new CountDownLatch(SCANNERS);
        CountDownLatch commitsDone = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SCANNERS);
        try {
            List<Future<Set<String>>> scans = new ArrayList<>();
            for (int s = 0; s < SCANNERS; s++) {
                final boolean reverse = s % 2 == 1;
                scans.add(pool.submit(() -> {
                    Set<String> versions = new HashSet<>();
                    int seen = 0;
                    try (KeyValueIterator<String, String> it =
                            reverse ? view.reverseRange(key(0), key(KEYS - 1)) : view.range(key(0), key(KEYS - 1))) {
                        while (seen < KEYS / 3 && it.hasNext()) {
                            versions.add(it.next().value());
                            seen++;
                        }
                        scannersPartWay.countDown();
                        assertTrue(commitsDone.await(30, TimeUnit.SECONDS), "writer finished");
                        while (it.hasNext()) {
                            versions.add(it.next().value());
                            seen++;
                        }
                    }
                    assertEquals(KEYS, seen, "the scan saw every key exactly once");
                    return versions;
                }));
            }
            assertTrue(scannersPartWay.await(30, TimeUnit.SECONDS), "scanners started");

            // The owner also holds an iterator across its own commits.
            KeyValueIterator<String, String> ownerScan = store.all();
            for (int version = 1; version <= COMMITS; version++) {
                for (int i = 0; i < KEYS; i++) {
                    if (i % 3 != 0) {
                        store.put(key(i), "v" + version);
                    } else if (version == COMMITS) {
                        store.delete(key(i));
                    }
                }
                store.put(key(KEYS + version), "new" + version);
                store.commit(version);
            }
            commitsDone.countDown();

            for (Future<Set<String>> scan : scans) {
                assertEquals(Set.of("v0"), scan.get(30, TimeUnit.SECONDS), "one snapshot only");
            }
            Set<String> ownerVersions = new HashSet<>();
            int ownerSeen = 0;
            try (ownerScan) {
                while (ownerScan.hasNext()) {
                    ownerVersions.add(ownerScan.next().value());
                    ownerSeen++;
                }
            }
            assertEquals(Set.of("v0"), ownerVersions);
            assertEquals(KEYS, ownerSeen);

            int after = 0;
            try (KeyValueIterator<String, String> it = view.all()) {
                while (it.hasNext()) {
                    String v = it.next().value();
                    assertTrue(v.equals("v" + COMMITS) || v.startsWith("new"), v);
                    after++;
                }
            }
            assertEquals(KEYS - KEYS / 3 + COMMITS, after, "a scan opened later sees the last commit");
        } finally {
            pool.shutdownNow();
        }
    }
}
