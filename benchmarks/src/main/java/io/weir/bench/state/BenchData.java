package io.weir.bench.state;

import io.weir.state.KeyValueStore;
import io.weir.state.KeyValueStores;
import io.weir.state.Serdes;
import io.weir.state.StoreConfig;
import io.weir.state.SyncMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Shared settings of the state-store benchmarks: key encoding, value size, store configuration, temp dirs. */
final class BenchData {
    static final int VALUE_BYTES = 100;
    /** 2 GiB map: never grows during a run, so growth is not measured (it is rare by design). */
    static final long MAP_SIZE = 2L << 30;

    private BenchData() {}

    /** No fsync and no cache: measures the store's code path and LMDB, not the disk or the cache. */
    static StoreConfig config() {
        return StoreConfig.DEFAULTS
                .withCacheMaxBytes(0)
                .withMapSizeBytes(MAP_SIZE)
                .withSyncMode(SyncMode.NO_SYNC);
    }

    static KeyValueStore<Long, byte[]> openWeir(Path dir, StoreConfig config) {
        return KeyValueStores.builder("bench", Serdes.orderedInt64(), Serdes.byteArray())
                .lmdb(dir)
                .config(config)
                .build();
    }

    static byte[] value(SplittableRandom random) {
        byte[] v = new byte[VALUE_BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) random.nextInt();
        }
        return v;
    }

    /** Key bytes exactly as {@code Serdes.orderedInt64()} writes them, for the raw lmdbjava side. */
    static long rawKey(long key) {
        return key ^ Long.MIN_VALUE;
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
