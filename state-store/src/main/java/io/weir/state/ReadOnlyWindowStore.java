package io.weir.state;

/**
 * The read side of a window store: values by key and window start time. Time bounds are inclusive and name window
 * start times. Only windows inside the retention period are seen: a window whose start is at or before the newest
 * start the store has seen minus the retention is gone, even before its segment is dropped.
 *
 * <p>Order: a one-key fetch is ascending by window start ({@code backward*}: descending). A fetch over a key range
 * or over every key is ordered by time segment, then by serialized key, then by start (reversed by
 * {@code backward*}), as Kafka Streams' segmented stores are; it is not globally time-ordered. Precisely, the order is
 * that of the stored bytes {@code [key][start]}, so where one key's bytes are a prefix of another's their windows
 * may interleave.
 */
public interface ReadOnlyWindowStore<K, V> {
    /** The value of {@code key}'s window that starts at {@code windowStart}, or null. */
    V fetch(K key, long windowStart);

    /** {@code key}'s windows with {@code from <= start <= to}: window start to value. */
    KeyValueIterator<Long, V> fetch(K key, long from, long to);

    KeyValueIterator<Long, V> backwardFetch(K key, long from, long to);

    /** Windows of keys in {@code [keyFrom, keyTo]} (null: unbounded) with {@code from <= start <= to}. */
    KeyValueIterator<WindowedKey<K>, V> fetch(K keyFrom, K keyTo, long from, long to);

    KeyValueIterator<WindowedKey<K>, V> backwardFetch(K keyFrom, K keyTo, long from, long to);

    /** Windows of every key with {@code from <= start <= to}. */
    KeyValueIterator<WindowedKey<K>, V> fetchAll(long from, long to);

    KeyValueIterator<WindowedKey<K>, V> backwardFetchAll(long from, long to);

    /** Every window in the retention period. */
    KeyValueIterator<WindowedKey<K>, V> all();

    KeyValueIterator<WindowedKey<K>, V> backwardAll();
}
