package io.weir.state;

/**
 * The read side of a key-value store; what interactive queries see.
 *
 * <p>Keys are ordered by their serialized bytes, compared unsigned and lexicographically; every range and prefix
 * below is in that order (see the package documentation). A {@code null} range bound means "unbounded on that
 * side". A range whose {@code from} sorts after its {@code to} is empty.
 */
public interface ReadOnlyKeyValueStore<K, V> {
    /** @return the value, or {@code null} if absent. @throws io.weir.state.errors.InvalidKeyException on a null key */
    V get(K key);

    /** Entries with {@code from <= key <= to} (both inclusive), ascending. */
    KeyValueIterator<K, V> range(K from, K to);

    /** Entries with {@code from <= key <= to} (both inclusive), descending. */
    KeyValueIterator<K, V> reverseRange(K from, K to);

    /** Every entry, ascending. */
    KeyValueIterator<K, V> all();

    /** Every entry, descending. */
    KeyValueIterator<K, V> reverseAll();

    /**
     * Entries whose serialized key starts with the serialized prefix, ascending.
     *
     * @param prefixSerde serializes the prefix; for the prefix to mean anything it must write the same leading bytes
     *                    the key serde would
     */
    <P> KeyValueIterator<K, V> prefixScan(P prefix, Serde<P> prefixSerde);

    /** An estimate of the number of entries; exact for a store with no uncommitted writes and no cache. */
    long approximateNumEntries();
}
