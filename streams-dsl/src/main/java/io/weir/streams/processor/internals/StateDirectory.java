package io.weir.streams.processor.internals;

import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.TaskId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One application's directory under {@code state.dir}: {@code <state.dir>/<application.id>}. It holds a task
 * directory per task ({@code 0_1}, with a directory per store), the instance's process id (so the transactional ids
 * and group instance ids derived from it survive a restart, as Kafka Streams keeps its process id there), and the
 * names of the stores and internal topics the state was written under.
 *
 * <p>An instance holds an exclusive file lock on the directory while it runs, so two instances never share one
 * (they would fence each other's transactions). The embedded broker's data lives beside it, in
 * {@code <state.dir>/broker}, and {@link #cleanUp} never touches it.
 */
public final class StateDirectory implements AutoCloseable {
    static final String LOCK_FILE = ".lock";
    static final String PROCESS_FILE = "weir-process-id";
    static final String NAMES_FILE = "weir-state-names";
    /** Kafka Streams' generated names end in a ten-digit index: {@code KSTREAM-AGGREGATE-STATE-STORE-0000000003}. */
    private static final Pattern GENERATED = Pattern.compile(".*-\\d{10}(-[a-z]+)?");

    /** The directories locked by this JVM. */
    private static final Set<Path> LOCKED = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final String applicationId;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateDirectory(Path directory, String applicationId, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.applicationId = applicationId;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates (if missing) and locks {@code <stateDir>/<applicationId>}.
     *
     * @throws StreamsException if another instance, in this process or another, holds it
     */
    public static StateDirectory lock(Path stateDir, String applicationId) {
        Path directory = stateDir.resolve(applicationId).toAbsolutePath().normalize();
        // Checked before opening a channel: closing a second channel to a file this JVM has locked may release
        // the lock on some platforms (POSIX locks belong to the process).
        if (!LOCKED.add(directory)) {
            throw inUse(directory, applicationId);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel =
                    FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw inUse(directory, applicationId);
            }
            return new StateDirectory(directory, applicationId, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            LOCKED.remove(directory);
            throw new StreamsException("Could not open the state directory " + directory + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            LOCKED.remove(directory);
            throw e;
        }
    }

    private static StreamsException inUse(Path directory, String applicationId) {
        return new StreamsException("The state directory " + directory + " of application " + applicationId
                + " is in use by another running instance; give each instance its own state.dir");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held yet
            }
        }
    }

    public Path directory() {
        return directory;
    }

    public Path taskDirectory(TaskId task) {
        return directory.resolve(task.toString());
    }

    /** The instance's process id: read from the directory, or made and written there on the first start. */
    public UUID processId() {
        Path file = directory.resolve(PROCESS_FILE);
        try {
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                try {
                    return UUID.fromString(text);
                } catch (IllegalArgumentException e) {
                    throw new StreamsException("The process id file " + file + " holds '" + text
                            + "', not a UUID; delete it to start as a new instance");
                }
            }
            UUID id = UUID.randomUUID();
            writeAtomically(file, id.toString());
            return id;
        } catch (IOException e) {
            throw new StreamsException("Could not read or write the process id in " + file + ": " + e, e);
        }
    }

    /**
     * Checks the names of the stores and internal topics against those the state was written under, then records
     * the new ones. A generated name that disappeared while another generated name appeared means the topology's
     * shape moved its operators' indexes: their state would silently start empty, so the start is refused unless
     * {@code accept} is set.
     *
     * @throws StreamsException naming the old and the new names and the fix
     */
    public void checkStateNames(Set<String> names, boolean accept) {
        Path file = directory.resolve(NAMES_FILE);
        try {
            if (Files.exists(file)) {
                Set<String> old = new TreeSet<>(Files.readAllLines(file, StandardCharsets.UTF_8));
                old.remove("");
                List<String> gone = generatedOnly(old, names);
                List<String> added = generatedOnly(names, old);
                if (!gone.isEmpty() && !added.isEmpty() && !accept) {
                    throw new StreamsException("The topology of application " + applicationId
                            + " changed the generated names of its state: the state in " + directory + " was written"
                            + " under " + gone + ", and this topology names " + added + " instead, which would start"
                            + " empty. Name the stateful operators (Materialized.as, Grouped.as, Named.as) with the"
                            + " old names to keep their state, or set weir.accept.renamed.state=true to start the"
                            + " renamed ones empty.");
                }
            }
            writeAtomically(file, String.join("\n", new TreeSet<>(names)) + "\n");
        } catch (IOException e) {
            throw new StreamsException("Could not read or write the state names in " + file + ": " + e, e);
        }
    }

    private static List<String> generatedOnly(Set<String> from, Set<String> minus) {
        List<String> out = new ArrayList<>();
        for (String name : from) {
            if (!minus.contains(name) && GENERATED.matcher(name).matches()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Whether {@code name} was made by the DSL rather than given by the user. */
    public static boolean isGenerated(String name) {
        return GENERATED.matcher(name).matches();
    }

    /** Deletes one task's directory (its stores), e.g. when its checkpoint is past the changelog's end. */
    public void deleteTaskDirectory(TaskId task) {
        deleteRecursively(taskDirectory(task));
    }

    /** Deletes every task directory: the local stores, which restore in full from their changelogs next start. */
    public void cleanUp() {
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child)) {
                    deleteRecursively(child);
                }
            }
        } catch (IOException e) {
            throw new StreamsException("Could not clean up the state directory " + directory + ": " + e, e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + root, e);
        }
    }

    /** Replaces {@code file} with {@code text}: written to a temporary file, forced, then renamed over it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not release the lock of " + directory, e);
        } finally {
            LOCKED.remove(directory);
        }
    }
}
