package io.weir.streams.state;

import io.weir.streams.kstream.Windowed;

/**
 * The read side of a session store, as Kafka Streams' {@code ReadOnlySessionStore}: per key, sessions
 * {@code [start, end]} with their aggregates. Only sessions inside the store's retention are seen. Iterators hold a
 * snapshot: close them.
 */
public interface ReadOnlySessionStore<K, AGG> {

    /** {@code key}'s sessions ending at or after {@code earliestSessionEndTime} and starting at or before {@code latestSessionStartTime}. */
    KeyValueIterator<Windowed<K>, AGG> findSessions(K key, long earliestSessionEndTime, long latestSessionStartTime);

    KeyValueIterator<Windowed<K>, AGG> backwardFindSessions(
            K key, long earliestSessionEndTime, long latestSessionStartTime);

    KeyValueIterator<Windowed<K>, AGG> findSessions(
            K keyFrom, K keyTo, long earliestSessionEndTime, long latestSessionStartTime);

    KeyValueIterator<Windowed<K>, AGG> backwardFindSessions(
            K keyFrom, K keyTo, long earliestSessionEndTime, long latestSessionStartTime);

    /** The aggregate of exactly the session {@code [sessionStartTime, sessionEndTime]} of {@code key}, or null. */
    AGG fetchSession(K key, long sessionStartTime, long sessionEndTime);

    /** Every session of {@code key}. */
    KeyValueIterator<Windowed<K>, AGG> fetch(K key);

    KeyValueIterator<Windowed<K>, AGG> backwardFetch(K key);

    KeyValueIterator<Windowed<K>, AGG> fetch(K keyFrom, K keyTo);

    KeyValueIterator<Windowed<K>, AGG> backwardFetch(K keyFrom, K keyTo);
}
