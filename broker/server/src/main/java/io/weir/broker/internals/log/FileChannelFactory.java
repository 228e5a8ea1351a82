package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How the logs of a directory open, rename and delete their files: every segment, index, snapshot and
 * checkpoint file, and every directory they sync, is opened through one of these, and the renames and deletions
 * that change what a directory holds (an atomic replacement, a segment retired or swapped in, a swap marker,
 * index or snapshot removed) go through it too. Production uses {@link #SYSTEM}; a test passes one whose
 * channels fail a {@code write} or {@code force}, or whose renames or deletions fail, where it wants, to show
 * what a failing disk does to the log (see {@link LogDirFailureChannel}).
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** {@link FileChannel#open(Path, OpenOption...)}. */
    FileChannelFactory SYSTEM = FileChannel::open;

    /** Opens {@code path} as {@link FileChannel#open(Path, OpenOption...)} does. */
    FileChannel open(Path path, OpenOption... options) throws IOException;

    /**
     * Renames {@code source} to {@code target} in one step, replacing {@code target} if the file system allows:
     * {@link Files#move} with {@link StandardCopyOption#ATOMIC_MOVE}.
     */
    default void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes {@code path} if it exists, as {@link Files#deleteIfExists} does. */
    default void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }
}
