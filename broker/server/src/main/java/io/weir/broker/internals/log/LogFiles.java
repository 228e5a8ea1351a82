package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system helpers shared by the log, the log manager and the broker. */
public final class LogFiles {
    private LogFiles() {}

    /** Makes the directory's entries (created, renamed, deleted files) durable. */
    public static void syncDirectory(Path dir) throws IOException {
        syncDirectory(FileChannelFactory.SYSTEM, dir);
    }

    /**
     * {@link #syncDirectory(Path)}, opening the directory through {@code channels}.
     *
     * @throws FileWriteException naming the directory
     */
    static void syncDirectory(FileChannelFactory channels, Path dir) throws IOException {
        try (FileChannel channel = channels.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw FileWriteException.of(dir, "sync directory", e);
        }
    }

    /**
     * Replaces {@code target} so that a crash leaves either the old or the new content: writes a {@code .tmp}
     * sibling, syncs it, renames it over the target and syncs the directory.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        writeAtomically(FileChannelFactory.SYSTEM, target, content);
    }

    /**
     * {@link #writeAtomically(Path, byte[])}, opening the files through {@code channels}.
     *
     * @throws FileWriteException naming the file that failed: the temporary file, the target or the directory
     */
    public static void writeAtomically(FileChannelFactory channels, Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel channel = channels.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw FileWriteException.of(tmp, "write", e);
        }
        try {
            channels.rename(tmp, target);
        } catch (IOException e) {
            throw FileWriteException.of(target, "rename " + tmp + " to", e);
        }
        syncDirectory(channels, target.getParent());
    }

    /**
     * Renames {@code source} to {@code target} through {@code channels}.
     *
     * @throws FileWriteException naming {@code source}
     */
    static void rename(FileChannelFactory channels, Path source, Path target) throws IOException {
        try {
            channels.rename(source, target);
        } catch (IOException e) {
            throw FileWriteException.of(source, "rename (to " + target.getFileName() + ")", e);
        }
    }

    /**
     * Deletes {@code path}, if it exists, through {@code channels}.
     *
     * @throws FileWriteException naming {@code path}
     */
    static void delete(FileChannelFactory channels, Path path) throws IOException {
        try {
            channels.delete(path);
        } catch (IOException e) {
            throw FileWriteException.of(path, "delete", e);
        }
    }

    /** Deletes {@code path} and everything below it; nothing happens if it does not exist. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
