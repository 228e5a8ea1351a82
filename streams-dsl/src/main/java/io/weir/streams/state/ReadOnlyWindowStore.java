package io.weir.streams.state;

import io.weir.streams.kstream.Windowed;
import java.time.Instant;

/**
 * The read side of a window store, as Kafka Streams' {@code ReadOnlyWindowStore}: values by key and window start.
 * Time bounds are inclusive and name window start times; only windows inside the store's retention are seen. A
 * one-key fetch is ordered by start; fetches over several keys by time segment, then by the stored key bytes, then
 * by start (not globally by time), as Kafka's are. Iterators hold a snapshot: close them.
 */
public interface ReadOnlyWindowStore<K, V> {

    /** The value of {@code key}'s window that starts at {@code time}, or null. */
    V fetch(K key, long time);

    WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo);

    WindowStoreIterator<V> backwardFetch(K key, long timeFrom, long timeTo);

    KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo);

    KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo);

    KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo);

    KeyValueIterator<Windowed<K>, V> backwardFetchAll(long timeFrom, long timeTo);

    KeyValueIterator<Windowed<K>, V> all();

    KeyValueIterator<Windowed<K>, V> backwardAll();

    default WindowStoreIterator<V> fetch(K key, Instant timeFrom, Instant timeTo) {
        return fetch(key, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    default WindowStoreIterator<V> backwardFetch(K key, Instant timeFrom, Instant timeTo) {
        return backwardFetch(key, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    default KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
        return fetch(keyFrom, keyTo, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    default KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
        return backwardFetch(keyFrom, keyTo, timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    default KeyValueIterator<Windowed<K>, V> fetchAll(Instant timeFrom, Instant timeTo) {
        return fetchAll(timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }

    default KeyValueIterator<Windowed<K>, V> backwardFetchAll(Instant timeFrom, Instant timeTo) {
        return backwardFetchAll(timeFrom.toEpochMilli(), timeTo.toEpochMilli());
    }
}
