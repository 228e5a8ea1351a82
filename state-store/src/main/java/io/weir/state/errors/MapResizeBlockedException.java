package io.weir.state.errors;

import java.nio.file.Path;

/**
 * The LMDB map is full and cannot be grown: growing needs every read transaction of the environment closed, and
 * iterators stayed open (on the committing thread, or past the wait), or the configured maximum was reached. The
 * uncommitted writes are kept; close the iterators (or raise the maximum) and commit again.
 */
public final class MapResizeBlockedException extends StateStoreException {
    public MapResizeBlockedException(Path directory, String problem) {
        super("store directory " + directory + ": LMDB map is full and cannot grow: " + problem);
    }
}
