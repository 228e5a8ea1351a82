package io.weir.state;

/**
 * A read-write session store, used by its owner thread only; other threads read committed data through
 * {@link #readOnlyView()}. Built by {@link WindowStores#sessionStoreBuilder}. Segments are by session end, of
 * {@code max(retention / 2, 60 s)}; a session ending before the newest end seen minus the retention is not stored
 * (counted in {@link #expiredRecords()}) and whole segments of such sessions are dropped at the next commit.
 */
public interface SessionStore<K, V> extends StateStore, ReadOnlySessionStore<K, V> {
    /** Stores the aggregate of {@code session}; a null aggregate removes it. */
    void put(WindowedKey<K> session, V aggregate);

    /** Removes {@code session}. */
    void remove(WindowedKey<K> session);

    /** The newest session end put or restored so far; {@code Long.MIN_VALUE} for an empty store. */
    long observedStreamTime();

    /** How many puts were dropped because their session had already left the retention period. */
    long expiredRecords();

    /** A thread-safe view of the committed data, for interactive queries; valid until the store closes. */
    ReadOnlySessionStore<K, V> readOnlyView();
}
