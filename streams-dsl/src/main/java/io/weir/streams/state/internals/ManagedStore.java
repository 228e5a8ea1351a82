package io.weir.streams.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.streams.processor.StateStore;
import java.util.Iterator;
import java.util.OptionalLong;

/**
 * What the task that owns a store does with it besides handing it to processors: the commit sequence, restore, and
 * the read-only view interactive queries use. Every method but {@link #queryView()} belongs to the owner thread.
 */
public interface ManagedStore extends StateStore {

    /** Writes cached updates down to the store, handing each to the changelog; not durable by itself. */
    void flush();

    /** Makes every write so far durable (and visible to interactive queries), leaving the checkpoint as it is. */
    void commit();

    /**
     * Makes every write so far durable together with the changelog offset of the last record they wrote, in one
     * step: after a crash the store holds exactly these writes and restores from {@code changelogOffset + 1}.
     */
    void commit(long changelogOffset);

    /** The changelog offset the committed data reflects; empty if no commit carried one. */
    OptionalLong committedOffset();

    /** Replays changelog records into the committed data, moving the checkpoint batch by batch. */
    RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener);

    /**
     * A thread-safe view of the committed data, values as a query sees them (a table's without their timestamps);
     * each scan reads one snapshot. A {@code ReadOnlyKeyValueStore}, {@code ReadOnlyWindowStore} or
     * {@code ReadOnlySessionStore}, as the store is.
     */
    Object queryView();

    /** Closes the store, dropping writes not committed. */
    void close();
}
