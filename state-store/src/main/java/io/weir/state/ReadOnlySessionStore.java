package io.weir.state;

/**
 * The read side of a session store: per key, sessions {@code [start, end]} with an aggregate. Only sessions inside
 * the retention period are seen (their end after the newest end seen minus the retention). Results are ordered by
 * time segment, then serialized key, then end, then start ({@code backward*}: reversed); precisely, the order of the stored bytes
 * {@code [key][end][start]}, so where one key's bytes are a prefix of another's their sessions may interleave.
 */
public interface ReadOnlySessionStore<K, V> {
    /**
     * {@code key}'s sessions that end at or after {@code earliestSessionEndTime} and start at or before
     * {@code latestSessionStartTime}: the sessions a record in that interval touches or merges with.
     */
    KeyValueIterator<WindowedKey<K>, V> findSessions(K key, long earliestSessionEndTime, long latestSessionStartTime);

    KeyValueIterator<WindowedKey<K>, V> backwardFindSessions(
            K key, long earliestSessionEndTime, long latestSessionStartTime);

    /** As {@link #findSessions(Object, long, long)} for keys in {@code [keyFrom, keyTo]} (null: unbounded). */
    KeyValueIterator<WindowedKey<K>, V> findSessions(
            K keyFrom, K keyTo, long earliestSessionEndTime, long latestSessionStartTime);

    KeyValueIterator<WindowedKey<K>, V> backwardFindSessions(
            K keyFrom, K keyTo, long earliestSessionEndTime, long latestSessionStartTime);

    /** The aggregate of exactly the session {@code [start, end]} of {@code key}, or null. */
    V fetchSession(K key, long sessionStartTime, long sessionEndTime);

    /** Every session of {@code key}. */
    KeyValueIterator<WindowedKey<K>, V> fetch(K key);

    KeyValueIterator<WindowedKey<K>, V> backwardFetch(K key);

    /** Every session of the keys in {@code [keyFrom, keyTo]}. */
    KeyValueIterator<WindowedKey<K>, V> fetch(K keyFrom, K keyTo);

    KeyValueIterator<WindowedKey<K>, V> backwardFetch(K keyFrom, K keyTo);
}
