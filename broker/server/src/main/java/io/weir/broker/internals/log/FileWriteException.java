package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write, sync, creation, rename or truncation of {@link #file} failed. Only those operations throw it, never
 * a read: it is what tells {@link LogDirFailureChannel} that the disk may no longer hold what was written (a
 * read can fail for harmless reasons, such as a segment retention closed under a reader).
 */
final class FileWriteException extends IOException {
    private final Path file;

    private FileWriteException(Path file, String operation, IOException cause) {
        super("Could not " + operation + " " + file + ": " + cause, cause);
        this.file = file;
    }

    /** {@code cause}, naming {@code file}, unless it already names the file that failed. */
    static FileWriteException of(Path file, String operation, IOException cause) {
        return cause instanceof FileWriteException named ? named : new FileWriteException(file, operation, cause);
    }

    Path file() {
        return file;
    }
}
