package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import java.util.List;

/**
 * A global store as a stream task's processors see it: the committed data of the global stream thread's store
 * (thread-safe, each scan one snapshot of its last commit), read-only — only the global thread writes it, as in
 * Kafka Streams, where a stream task's global store throws on writes. A table's store is a
 * {@link TimestampedKeyValueStore}, so the DSL's value getters read it as they read a local table.
 */
public class ReadOnlyGlobalStore<K, V> implements KeyValueStore<K, V> {
    private final ManagedStore store;
    private final ReadOnlyKeyValueStore<K, V> committed;

    ReadOnlyGlobalStore(ManagedStore store, ReadOnlyKeyValueStore<K, V> committed) {
        this.store = store;
        this.committed = committed;
    }

    /**
     * The read-only view of {@code store} a stream task gets: with timestamps for a table's store.
     *
     * @throws IllegalArgumentException if the store is not a key-value store
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static KeyValueStore<?, ?> of(ManagedStore store) {
        if (store instanceof TimestampedKeyValueStoreFacade<?, ?> table) {
            return new Timestamped(store, table.timestampedQueryView());
        }
        if (store instanceof KeyValueStoreFacade<?, ?>) {
            return new ReadOnlyGlobalStore<>(store, (ReadOnlyKeyValueStore) store.queryView());
        }
        throw new IllegalArgumentException("The global store " + store.name() + " is a "
                + store.getClass().getSimpleName() + "; global stores must be key-value stores");
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public V get(K key) {
        return committed.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return committed.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return committed.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return committed.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return committed.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return committed.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return committed.approximateNumEntries();
    }

    @Override
    public void put(K key, V value) {
        throw readOnly();
    }

    @Override
    public V putIfAbsent(K key, V value) {
        throw readOnly();
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        throw readOnly();
    }

    @Override
    public V delete(K key) {
        throw readOnly();
    }

    private UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("The global store " + name()
                + " is read-only for stream tasks: only the global stream thread writes it, from its topic");
    }

    private static final class Timestamped<K, V> extends ReadOnlyGlobalStore<K, ValueAndTimestamp<V>>
            implements TimestampedKeyValueStore<K, V> {
        Timestamped(ManagedStore store, ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>> committed) {
            super(store, committed);
        }
    }
}
