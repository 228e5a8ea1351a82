package io.weir.state.errors;

import java.nio.file.Path;

/**
 * The store directory's lock file is held by another open store, in this process or another one. LMDB itself would
 * happily open a second environment on the same files, which corrupts its reader table; the lock prevents that.
 */
public final class StoreLockedException extends StateStoreException {
    private final Path lockFile;

    public StoreLockedException(Path lockFile, String holder) {
        super("store lock " + lockFile + " is held by " + holder + "; close that store first");
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
