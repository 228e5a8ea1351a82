package io.weir.state;

import java.util.Iterator;
import java.util.OptionalLong;

/**
 * What every store has besides its data: a name, a lifecycle, the commit that makes writes durable together with
 * the changelog offset they reflect, and restore from changelog records.
 *
 * <p>Exactly-once use: the streams layer flushes ({@link #flush()}, which hands cached writes to the changelog
 * hook), commits the broker transaction that carries those changelog records, then calls {@link #commit(long)}
 * with the offset of the last one. A crash before {@code commit} leaves the store at the previous checkpoint, from
 * which the changelog is replayed.
 */
public interface StateStore extends AutoCloseable {
    String name();

    StoreState state();

    /**
     * Writes cached updates down to the store (handing each to the changelog hook and flush listener). Not durable
     * by itself.
     */
    void flush();

    /**
     * Flushes, then makes every write so far durable together with the checkpoint {@code changelogOffset}, in one
     * atomic step (one LMDB write transaction).
     *
     * @throws IllegalArgumentException if {@code changelogOffset} is negative
     */
    void commit(long changelogOffset);

    /** Like {@link #commit(long)} but leaves the checkpoint as it is; for stores without a changelog. */
    void commit();

    /** The changelog offset the committed data reflects, empty if no commit carried one yet. */
    OptionalLong committedOffset();

    /**
     * Replays changelog records (after the checkpoint) into the committed data, bypassing the cache and the
     * changelog hook. Records are applied in batches of {@code statestore.restore.batch.records}, each batch in one
     * transaction that also moves the checkpoint to the batch's last offset, so an interrupted restore resumes
     * where it stopped.
     *
     * @param expectedTotal number of records expected, for progress reporting only ({@code -1} if unknown)
     * @return the final progress
     * @throws io.weir.state.errors.UncommittedWritesException if the store holds uncommitted writes
     */
    RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener);

    /**
     * Closes the store, discarding uncommitted writes (commit first to keep them). Waits up to the close grace for
     * open iterators. Idempotent.
     *
     * @throws io.weir.state.errors.OpenIteratorsException if iterators are still open after the grace; the store
     *                                                     then stays open
     */
    @Override
    void close();
}
