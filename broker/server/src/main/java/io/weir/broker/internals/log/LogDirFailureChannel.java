package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one log directory is still trusted, and the one rule for a storage failure in it (Kafka's
 * LogDirFailureChannel).
 *
 * <p><b>The rule.</b> When a write or a sync of any file of the directory fails — a segment's {@code .log}, an
 * offset, time or transaction index, a producer-state snapshot, the recovery-point or cleaner checkpoint, the
 * topic metadata, the producer-id block, a directory entry, a segment created by a roll, a rename or deletion —
 * the whole directory goes offline until the broker restarts.
 * After a failed {@code fsync} the kernel may have dropped the dirty pages while marking them clean, so a later
 * {@code fsync} that succeeds proves nothing about them; and the disk that failed holds every other partition
 * of the directory too. Offline, every append and read of a partition in the directory fails with a
 * {@link LogDirFailureException} (KAFKA_STORAGE_ERROR) that names the file that failed; nothing is synced and no
 * checkpoint is written any more, so no recovery point moves past a page that may be lost; and close releases
 * the directory without the clean-shutdown marker, so the next open re-checks everything from the last
 * checkpointed recovery points. The broker itself stays up, answering with that error, and closes cleanly.
 *
 * <p><b>Owner.</b> The directory's {@code LogManager} creates one and hands it, in the {@link LogDirContext},
 * to every {@link Log} it opens and to its {@link LogCleaner}; it also reports its own checkpoint failures
 * here. The state belongs to the directory rather than to each log because the failure is the disk's, not a
 * partition's; and to the directory rather than the broker so that, with several {@code log.dirs}, one failing
 * disk would leave the others serving, as in Kafka.
 *
 * <p>Threading: any thread may report a failure or check the state. The first failure wins and is published
 * by one atomic write; later ones are reported to their caller but do not replace it. The thread whose failure
 * wins then runs the {@link #onOffline} listeners (the fetch manager's, which answers waiting fetches at once).
 */
public final class LogDirFailureChannel {
    private static final Logger LOG = LoggerFactory.getLogger(LogDirFailureChannel.class);

    private final Path logDir;
    private final AtomicReference<LogDirFailureException> firstFailure = new AtomicReference<>();
    private final List<Runnable> offlineListeners = new CopyOnWriteArrayList<>();

    public LogDirFailureChannel(Path logDir) {
        this.logDir = logDir;
    }

    public Path logDir() {
        return logDir;
    }

    /**
     * Takes the directory offline because {@code operation} failed with {@code cause}, and returns the
     * exception for the caller to throw. {@code file} is the file being written or synced, as far as the
     * caller knows; a {@link FileWriteException} names the exact one and wins.
     */
    public LogDirFailureException fail(String operation, Path file, IOException cause) {
        Path failed = cause instanceof FileWriteException named ? named.file() : file;
        LogDirFailureException failure = new LogDirFailureException(
                operation + " failed on " + failed + "; log directory " + logDir
                        + " is now offline until the broker restarts: " + cause,
                logDir,
                failed,
                cause);
        if (firstFailure.compareAndSet(null, failure)) {
            LOG.error(
                    "Log directory " + logDir + " is offline: every partition in it refuses"
                            + " appends and reads until a restart recovers it from disk",
                    failure);
            offlineListeners.forEach(this::notifyOffline);
        }
        return failure;
    }

    /**
     * Runs {@code listener} when the directory goes offline, on the thread whose failure took it offline (an
     * append, fetch or maintenance thread, possibly holding a log's lock: the listener must only hand work off,
     * never block or touch a log), or at once if it is offline already. It runs at least once: a registration
     * racing with the failure may see it run twice.
     */
    public void onOffline(Runnable listener) {
        offlineListeners.add(listener);
        if (isOffline()) {
            notifyOffline(listener);
        }
    }

    private void notifyOffline(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // The directory is offline whatever a listener does; its failure must not replace the storage error.
            LOG.error("A listener of log directory " + logDir + " going offline failed", e);
        }
    }

    /**
     * @throws LogDirFailureException naming {@code operation} and the file whose failure took the directory
     *                                offline, if it is offline
     */
    public void ensureOnline(String operation) {
        LogDirFailureException first = firstFailure.get();
        if (first != null) {
            throw new LogDirFailureException(
                    operation + " refused: log directory " + logDir
                            + " is offline since a write or sync of " + first.file()
                            + " failed; restart the broker so recovery can check what reached the disk",
                    logDir,
                    first.file(),
                    first);
        }
    }

    public boolean isOffline() {
        return firstFailure.get() != null;
    }
}
