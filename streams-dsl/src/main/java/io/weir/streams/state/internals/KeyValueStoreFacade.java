package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.state.ChangelogRecord;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.StoreState;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka Streams' {@link KeyValueStore} over a state-store module store: the same calls, with the streams
 * {@code KeyValue}. Used by its task's thread only, as the store beneath it requires.
 */
class KeyValueStoreFacade<K, V> implements KeyValueStore<K, V>, ManagedStore, CachedStore<K, V> {
    private final io.weir.state.KeyValueStore<K, V> store;
    private final boolean persistent;
    private final FlushTarget<K, V> flushes;
    /** The iterators interactive queries opened on this store and have not closed. */
    final Set<AutoCloseable> queryIterators = ConcurrentHashMap.newKeySet();

    /** @param flushes where the store's cache hands its flushed entries, or null if it has no cache */
    KeyValueStoreFacade(io.weir.state.KeyValueStore<K, V> store, boolean persistent, FlushTarget<K, V> flushes) {
        this.store = store;
        this.persistent = persistent;
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
    public String name() {
        return store.name();
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    @Override
    public boolean isOpen() {
        return store.state() == StoreState.OPEN;
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
    public void flush() {
        store.flush();
    }

    @Override
    public void commit() {
        store.commit();
    }

    @Override
    public void commit(long changelogOffset) {
        store.commit(changelogOffset);
    }

    @Override
    public OptionalLong committedOffset() {
        return store.committedOffset();
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        return store.restore(records, expectedTotal, listener);
    }

    @Override
    public ReadOnlyKeyValueStore<?, ?> queryView() {
        return new CommittedView<>(name(), store.readOnlyView(), queryIterators);
    }

    /** Closes the query iterators left open, then the store. */
    @Override
    public void close() {
        for (AutoCloseable iterator : List.copyOf(queryIterators)) {
            try {
                iterator.close();
            } catch (Exception e) {
                // the store's close below reports what matters
            }
        }
        queryIterators.clear();
        store.close();
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
