package io.weir.streams.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.StoreState;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every facade over a state-store module store does for its task: the commit sequence, restore, and closing
 * the query iterators left open before the store. Used by its task's thread only, as the store beneath it requires
 * (the query views it hands out are thread-safe).
 */
abstract class AbstractManagedStore implements ManagedStore {
    private final io.weir.state.StateStore store;
    private final boolean persistent;
    /** The iterators interactive queries opened on this store and have not closed. */
    final Set<AutoCloseable> queryIterators = ConcurrentHashMap.newKeySet();

    AbstractManagedStore(io.weir.state.StateStore store, boolean persistent) {
        this.store = store;
        this.persistent = persistent;
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    @Override
    public boolean isOpen() {
        return store.state() == StoreState.OPEN;
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public void commit() {
        store.commit();
    }

    @Override
    public void commit(long changelogOffset) {
        store.commit(changelogOffset);
    }

    @Override
    public OptionalLong committedOffset() {
        return store.committedOffset();
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        return store.restore(records, expectedTotal, listener);
    }

    /** Closes the query iterators left open, then the store. */
    @Override
    public void close() {
        for (AutoCloseable iterator : List.copyOf(queryIterators)) {
            try {
                iterator.close();
            } catch (Exception e) {
                // the store's close below reports what matters
            }
        }
        queryIterators.clear();
        store.close();
    }
}
