package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka Streams' {@link KeyValueStore} over a state-store module store: the same calls, with the streams
 * {@code KeyValue}. Used by its task's thread only, as the store beneath it requires.
 */
class KeyValueStoreFacade<K, V> extends AbstractManagedStore implements KeyValueStore<K, V>, CachedStore<K, V> {
    private final io.weir.state.KeyValueStore<K, V> store;
    private final FlushTarget<K, V> flushes;

    /** @param flushes where the store's cache hands its flushed entries, or null if it has no cache */
    KeyValueStoreFacade(io.weir.state.KeyValueStore<K, V> store, boolean persistent, FlushTarget<K, V> flushes) {
        super(store, persistent);
        this.store = store;
        this.flushes = flushes;
    }

    @Override
    public boolean setFlushListener(io.weir.state.FlushListener<K, V> listener) {
        if (flushes == null) {
            return false;
        }
        flushes.set(listener);
        return true;
    }

    @Override
    public V get(K key) {
        return store.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return iterator(store.range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return iterator(store.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterator(store.all());
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return iterator(store.reverseAll());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        io.weir.state.Serde<P> bytes = io.weir.state.Serde.of(p -> prefixKeySerializer.serialize(name(), p), b -> {
            throw new UnsupportedOperationException("a prefix is only written");
        });
        return iterator(store.prefixScan(prefix, bytes));
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }

    @Override
    public void put(K key, V value) {
        store.put(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return store.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        List<io.weir.state.KeyValue<K, V>> converted = new ArrayList<>(entries.size());
        for (KeyValue<K, V> e : entries) {
            converted.add(io.weir.state.KeyValue.pair(e.key(), e.value()));
        }
        store.putAll(converted);
    }

    @Override
    public V delete(K key) {
        return store.delete(key);
    }

    @Override
    public ReadOnlyKeyValueStore<?, ?> queryView() {
        return new CommittedView<>(name(), store.readOnlyView(), queryIterators);
    }

    static <K, V> KeyValueIterator<K, V> iterator(io.weir.state.KeyValueIterator<K, V> it) {
        return new KeyValueIterator<>() {
            @Override
            public K peekNextKey() {
                return it.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<K, V> next() {
                io.weir.state.KeyValue<K, V> kv = it.next();
                return new KeyValue<>(kv.key(), kv.value());
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }
}
