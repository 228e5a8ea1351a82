package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.KeyValueStore;
import io.weir.state.ReadOnlyKeyValueStore;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.Serde;
import io.weir.state.StoreState;
import io.weir.state.errors.InvalidKeyException;
import io.weir.state.errors.SerializationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * The typed face of a store stack: serializes keys and values with the serdes and calls the {@link BytesStore}
 * below. Every argument is checked and serialized before the store is touched, so a rejected call changes nothing.
 * Threading: that of {@link io.weir.state.KeyValueStore} — owner thread, plus the thread-safe {@link #readOnlyView()}.
 */
final class TypedKeyValueStore<K, V> implements KeyValueStore<K, V> {
    private final BytesStore store;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final ReadOnlyKeyValueStore<K, V> view;

    TypedKeyValueStore(BytesStore store, Serde<K> keySerde, Serde<V> valueSerde) {
        this.store = store;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.view = new View(store.readOnlyView());
    }

    BytesStore bytesStore() {
        return store;
    }

    private byte[] keyBytes(K key) {
        if (key == null) {
            throw new InvalidKeyException(store.name(), "key is null");
        }
        byte[] bytes = serialize(keySerde, key);
        store.limits().checkKey(bytes);
        return bytes;
    }

    private byte[] boundBytes(K bound) {
        if (bound == null) {
            return null;
        }
        byte[] bytes = serialize(keySerde, bound);
        store.limits().checkBound(bytes);
        return bytes;
    }

    private byte[] valueBytes(V value) {
        byte[] bytes = serialize(valueSerde, value);
        store.limits().checkValue(bytes);
        return bytes;
    }

    static <T> byte[] serialize(Serde<T> serde, T value) {
        try {
            return serde.serialize(value);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "cannot serialize " + value.getClass().getName() + ": " + e, e);
        }
    }

    static <T> T deserialize(Serde<T> serde, byte[] bytes) {
        try {
            return serde.deserialize(bytes);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot deserialize " + bytes.length + " bytes: " + e, e);
        }
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public StoreState state() {
        return store.state();
    }

    @Override
    public V get(K key) {
        return deserialize(valueSerde, store.get(keyBytes(key)));
    }

    @Override
    public void put(K key, V value) {
        byte[] k = keyBytes(key);
        store.put(k, valueBytes(value));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        byte[] k = keyBytes(key);
        return deserialize(valueSerde, store.putIfAbsent(k, valueBytes(value)));
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        List<KeyValue<byte[], byte[]>> serialized = new ArrayList<>(entries.size());
        for (KeyValue<K, V> e : entries) {
            byte[] k = keyBytes(e.key());
            serialized.add(new KeyValue<>(k, valueBytes(e.value())));
        }
        for (KeyValue<byte[], byte[]> e : serialized) {
            store.put(e.key(), e.value());
        }
    }

    @Override
    public V delete(K key) {
        return deserialize(valueSerde, store.delete(keyBytes(key)));
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return typed(store.scan(ScanRange.closed(boundBytes(from), boundBytes(to), false)));
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return typed(store.scan(ScanRange.closed(boundBytes(from), boundBytes(to), true)));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return typed(store.scan(ScanRange.ALL));
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return typed(store.scan(ScanRange.closed(null, null, true)));
    }

    @Override
    public <P> KeyValueIterator<K, V> prefixScan(P prefix, Serde<P> prefixSerde) {
        return typed(store.scan(prefixRange(prefix, prefixSerde)));
    }

    private <P> ScanRange prefixRange(P prefix, Serde<P> prefixSerde) {
        if (prefix == null) {
            throw new InvalidKeyException(store.name(), "prefix is null");
        }
        byte[] bytes = serialize(prefixSerde, prefix);
        store.limits().checkBound(bytes);
        return ScanRange.prefix(bytes);
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public void commit(long changelogOffset) {
        if (changelogOffset < 0) {
            throw new IllegalArgumentException(
                    "store '" + name() + "': changelog offset must be >= 0, was " + changelogOffset);
        }
        store.commit(OptionalLong.of(changelogOffset));
    }

    @Override
    public void commit() {
        store.commit(OptionalLong.empty());
    }

    @Override
    public OptionalLong committedOffset() {
        return store.committedOffset();
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        return store.restore(records, expectedTotal, listener == null ? RestoreListener.NONE : listener);
    }

    @Override
    public ReadOnlyKeyValueStore<K, V> readOnlyView() {
        return view;
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "KeyValueStore[" + name() + ", " + state() + "]";
    }

    private KeyValueIterator<K, V> typed(BytesIterator it) {
        return new TypedIterator(it);
    }

    private final class TypedIterator implements KeyValueIterator<K, V> {
        private final BytesIterator it;

        TypedIterator(BytesIterator it) {
            this.it = it;
        }

        @Override
        public K peekNextKey() {
            return deserialize(keySerde, it.peekNextKey());
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public KeyValue<K, V> next() {
            if (!it.hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<byte[], byte[]> kv = it.next();
            return new KeyValue<>(deserialize(keySerde, kv.key()), deserialize(valueSerde, kv.value()));
        }

        @Override
        public void close() {
            it.close();
        }
    }

    /** Thread-safe typed view of committed data. */
    private final class View implements ReadOnlyKeyValueStore<K, V> {
        private final BytesStore.BytesReadView bytes;

        View(BytesStore.BytesReadView bytes) {
            this.bytes = bytes;
        }

        @Override
        public V get(K key) {
            return deserialize(valueSerde, bytes.get(keyBytes(key)));
        }

        @Override
        public KeyValueIterator<K, V> range(K from, K to) {
            return typed(bytes.scan(ScanRange.closed(boundBytes(from), boundBytes(to), false)));
        }

        @Override
        public KeyValueIterator<K, V> reverseRange(K from, K to) {
            return typed(bytes.scan(ScanRange.closed(boundBytes(from), boundBytes(to), true)));
        }

        @Override
        public KeyValueIterator<K, V> all() {
            return typed(bytes.scan(ScanRange.ALL));
        }

        @Override
        public KeyValueIterator<K, V> reverseAll() {
            return typed(bytes.scan(ScanRange.closed(null, null, true)));
        }

        @Override
        public <P> KeyValueIterator<K, V> prefixScan(P prefix, Serde<P> prefixSerde) {
            return typed(bytes.scan(prefixRange(prefix, prefixSerde)));
        }

        @Override
        public long approximateNumEntries() {
            return bytes.approximateNumEntries();
        }
    }
}
