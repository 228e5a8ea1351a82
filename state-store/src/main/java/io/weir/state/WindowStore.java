package io.weir.state;

/**
 * A read-write window store: values by key and window start, kept for a retention period, used by its owner thread
 * only (reads see the owner's uncommitted writes); other threads read committed data through
 * {@link #readOnlyView()}. Built by {@link WindowStores#windowStoreBuilder}.
 *
 * <p>Data is split into time segments of {@code max(retention / 2, 60 s)} by window start, as Kafka Streams does; the
 * commit that follows a put moving the newest start past a segment's end plus the retention drops that whole segment.
 * A put older than the retention period is not stored (it is counted in {@link #expiredRecords()}).
 */
public interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
    /**
     * Stores {@code value} for {@code key}'s window starting at {@code windowStart}; a null value deletes it. A store
     * that retains duplicates keeps every put as its own entry (and ignores a null value).
     */
    void put(K key, V value, long windowStart);

    /** The newest window start put or restored so far; {@code Long.MIN_VALUE} for an empty store. */
    long observedStreamTime();

    /** How many puts were dropped because their window had already left the retention period. */
    long expiredRecords();

    /** A thread-safe view of the committed data, for interactive queries; valid until the store closes. */
    ReadOnlyWindowStore<K, V> readOnlyView();
}
