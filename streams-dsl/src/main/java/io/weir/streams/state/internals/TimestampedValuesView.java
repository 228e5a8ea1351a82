package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import java.util.List;

/**
 * A store of values with timestamps seen as a plain key-value store, as Kafka's test driver and interactive
 * queries show a DSL table: reads drop the timestamps, writes store no timestamp (-1).
 */
public final class TimestampedValuesView<K, V> implements KeyValueStore<K, V> {
    private static final long NO_TIMESTAMP = -1L;

    private final KeyValueStore<K, ValueAndTimestamp<V>> inner;

    public TimestampedValuesView(KeyValueStore<K, ValueAndTimestamp<V>> inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public V get(K key) {
        return ValueAndTimestamp.getValueOrNull(inner.get(key));
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return values(inner.range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return values(inner.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return values(inner.all());
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return values(inner.reverseAll());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return values(inner.prefixScan(prefix, prefixKeySerializer));
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public void put(K key, V value) {
        inner.put(key, ValueAndTimestamp.make(value, NO_TIMESTAMP));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return ValueAndTimestamp.getValueOrNull(inner.putIfAbsent(key, ValueAndTimestamp.make(value, NO_TIMESTAMP)));
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        inner.putAll(entries.stream()
                .map(e -> KeyValue.pair(e.key(), ValueAndTimestamp.make(e.value(), NO_TIMESTAMP)))
                .toList());
    }

    @Override
    public V delete(K key) {
        return ValueAndTimestamp.getValueOrNull(inner.delete(key));
    }

    private static <K, V> KeyValueIterator<K, V> values(KeyValueIterator<K, ValueAndTimestamp<V>> it) {
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
                KeyValue<K, ValueAndTimestamp<V>> kv = it.next();
                return KeyValue.pair(kv.key(), ValueAndTimestamp.getValueOrNull(kv.value()));
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }
}
