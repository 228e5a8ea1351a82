package io.weir.state.errors;

import java.nio.file.Path;

/** A store directory that cannot be used: not creatable, not a directory, or not writable. */
public final class StoreDirectoryException extends StateStoreException {
    private final Path directory;

    public StoreDirectoryException(Path directory, String problem) {
        super("store directory " + directory + ": " + problem);
        this.directory = directory;
    }

    public StoreDirectoryException(Path directory, String problem, Throwable cause) {
        super("store directory " + directory + ": " + problem, cause);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
