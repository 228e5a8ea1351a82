package io.weir.state.errors;

import java.nio.file.Path;

/**
 * The checkpoint record stored next to the data cannot be decoded. The store refuses to open rather than guess
 * which changelog offset its data reflects; nothing on disk is modified. Recover by deleting the store directory
 * and restoring from the changelog.
 */
public final class CorruptCheckpointException extends StateStoreException {
    private final Path directory;

    public CorruptCheckpointException(Path directory, String problem) {
        super("store directory " + directory + ": corrupted checkpoint: " + problem);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
