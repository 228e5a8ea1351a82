package io.weir.state;

import java.util.List;

/**
 * A read-write key-value store, used by its owner thread only (see the package documentation): reads see the
 * owner's uncommitted writes, writes become durable on {@link #commit(long)}. Other threads read through
 * {@link #readOnlyView()}.
 *
 * <p>Keys must be non-null and serialize to 1..511 bytes (LMDB's compiled-in maximum, applied to every store so that
 * they share one contract); values to at most {@code statestore.max.value.bytes}. A rejected write throws before
 * anything is changed.
 */
public interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
    /** Stores {@code value} under {@code key}; a {@code null} value deletes. */
    void put(K key, V value);

    /** Stores {@code value} only if {@code key} is absent. @return the existing value, or null if it was stored */
    V putIfAbsent(K key, V value);

    /** Puts each entry in order; every entry is validated and serialized before any is applied. */
    void putAll(List<KeyValue<K, V>> entries);

    /** @return the value that was removed, or null */
    V delete(K key);

    /**
     * A thread-safe view of the committed data, for interactive queries. Each of its scans reads one consistent
     * snapshot while the owner goes on writing and committing. It stays valid until the store closes.
     */
    ReadOnlyKeyValueStore<K, V> readOnlyView();
}
