package io.weir.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories for stores; deleted recursively. */
public final class TestDirs {
    private TestDirs() {}

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Small map, no fsync: fast to open and close hundreds of times in properties. */
    public static StoreConfig fastConfig() {
        return StoreConfig.DEFAULTS
                .withCacheMaxBytes(0)
                .withMapSizeBytes(256 << 10)
                .withSyncMode(SyncMode.NO_SYNC)
                .withCloseGrace(java.time.Duration.ZERO);
    }
}
