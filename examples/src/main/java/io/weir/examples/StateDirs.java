package io.weir.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The examples' state directories: the one given as an argument, kept, or a fresh temporary one, removed after. */
final class StateDirs {
    private StateDirs() {}

    /** What an example runs in: a directory, and whether it is removed at the end. */
    record StateDir(Path path, boolean temporary) {
        /** The directory given, or a new temporary one named after {@code prefix}. */
        static StateDir givenOr(String given, String prefix) throws IOException {
            return given != null
                    ? new StateDir(Path.of(given), false)
                    : new StateDir(Files.createTempDirectory(prefix), true);
        }

        /** Removes the directory if it is a temporary one. */
        void release() throws IOException {
            if (temporary) {
                deleteRecursively(path);
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
