package io.weir.state.errors;

import java.nio.file.Path;

/** A native LMDB or file-system failure, with the directory it happened in. */
public final class StoreIOException extends StateStoreException {
    public StoreIOException(Path directory, String operation, Throwable cause) {
        super("store directory " + directory + ": " + operation + " failed: " + cause, cause);
    }
}
