package io.weir.state;

import java.util.Iterator;

/**
 * An iterator over a store range. It holds resources (for LMDB, a read transaction that pins a snapshot and keeps
 * the map from growing), so close it promptly, with try-with-resources; a store refuses to close while iterators
 * stay open past its close grace. The iterator sees one snapshot: the data as of the moment it was opened.
 * It may be used by one thread at a time.
 */
public interface KeyValueIterator<K, V> extends Iterator<KeyValue<K, V>>, AutoCloseable {
    /** The key {@link #next()} would return, without advancing. @throws java.util.NoSuchElementException at the end */
    K peekNextKey();

    /** Releases the snapshot. Idempotent. */
    @Override
    void close();
}
