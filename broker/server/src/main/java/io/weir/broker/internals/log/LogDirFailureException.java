package io.weir.broker.internals.log;

import io.weir.common.errors.KafkaStorageException;
import java.nio.file.Path;

/**
 * A log directory is offline because a write or sync of {@link #file()} in it failed (see
 * {@link LogDirFailureChannel}). Thrown by the failing operation, and by every later append and read of a
 * partition in the directory, with the first failure as its cause. Answered as KAFKA_STORAGE_ERROR.
 */
public final class LogDirFailureException extends KafkaStorageException {
    private final Path logDir;
    private final Path file;

    LogDirFailureException(String message, Path logDir, Path file, Throwable cause) {
        super(message, cause);
        this.logDir = logDir;
        this.file = file;
    }

    /** The directory that went offline. */
    public Path logDir() {
        return logDir;
    }

    /** The file whose write or sync failed first and took the directory offline. */
    public Path file() {
        return file;
    }
}
