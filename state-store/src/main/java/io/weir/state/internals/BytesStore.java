package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.StoreState;
import java.util.Iterator;
import java.util.OptionalLong;

/**
 * A key-value store over serialized keys and values: what the backends (LMDB, in-memory) implement and what the
 * layers (change logging, caching) decorate. Same contract as {@link io.weir.state.KeyValueStore}: owner-thread
 * methods here, thread-safe committed reads through {@link #readOnlyView()}. A {@code null} value means delete.
 * Arrays passed in or handed out are never modified by the store and must not be modified by callers.
 */
interface BytesStore {
    String name();

    StoreState state();

    RecordLimits limits();

    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    byte[] putIfAbsent(byte[] key, byte[] value);

    byte[] delete(byte[] key);

    BytesIterator scan(ScanRange range);

    long approximateNumEntries();

    void flush();

    void commit(OptionalLong changelogOffset);

    OptionalLong committedOffset();

    RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener);

    BytesReadView readOnlyView();

    void close();

    /** Thread-safe reads of committed data; each scan is one snapshot. */
    interface BytesReadView {
        byte[] get(byte[] key);

        BytesIterator scan(ScanRange range);

        long approximateNumEntries();
    }
}
