package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads across every partition's instance of one store, as Kafka Streams' composite stores do for interactive
 * queries: a key lives in exactly one instance, so {@code get} asks each in turn, and scans chain the instances one
 * after another (each ordered within itself, not across them). The instances are looked up afresh on every call, so
 * the view stays usable while tasks move.
 */
public final class CompositeReadOnlyStore<K, V> implements ReadOnlyKeyValueStore<K, V> {
    private final String name;
    private final Supplier<List<ReadOnlyKeyValueStore<K, V>>> instances;

    public CompositeReadOnlyStore(String name, Supplier<List<ReadOnlyKeyValueStore<K, V>>> instances) {
        this.name = name;
        this.instances = instances;
    }

    @Override
    public V get(K key) {
        for (ReadOnlyKeyValueStore<K, V> store : instances.get()) {
            V value = store.get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return chain(s -> s.range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return chain(s -> s.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return chain(ReadOnlyKeyValueStore::all);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return chain(ReadOnlyKeyValueStore::reverseAll);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return chain(s -> s.prefixScan(prefix, prefixKeySerializer));
    }

    @Override
    public long approximateNumEntries() {
        long total = 0;
        for (ReadOnlyKeyValueStore<K, V> store : instances.get()) {
            total += store.approximateNumEntries();
        }
        return total;
    }

    private KeyValueIterator<K, V> chain(Function<ReadOnlyKeyValueStore<K, V>, KeyValueIterator<K, V>> scan) {
        return ChainedIterator.over(name, instances.get(), scan);
    }
}
