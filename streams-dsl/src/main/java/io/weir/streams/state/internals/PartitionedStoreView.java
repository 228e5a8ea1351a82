package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.util.List;

/**
 * Every partition's instance of one store as one store, for the test driver: reads go across the instances as
 * {@link CompositeReadOnlyStore} reads them; writes are refused, as a write belongs to one task.
 */
public final class PartitionedStoreView<K, V> implements KeyValueStore<K, V> {
    private final String name;
    private final List<KeyValueStore<K, V>> instances;
    private final CompositeReadOnlyStore<K, V> reads;

    public PartitionedStoreView(String name, List<KeyValueStore<K, V>> instances) {
        this.name = name;
        this.instances = List.copyOf(instances);
        List<ReadOnlyKeyValueStore<K, V>> readers = List.copyOf(instances);
        this.reads = new CompositeReadOnlyStore<>(name, () -> readers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean persistent() {
        return instances.get(0).persistent();
    }

    @Override
    public boolean isOpen() {
        return instances.stream().allMatch(KeyValueStore::isOpen);
    }

    @Override
    public V get(K key) {
        return reads.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return reads.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return reads.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return reads.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return reads.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return reads.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return reads.approximateNumEntries();
    }

    private UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("Store " + name + " spans " + instances.size()
                + " partitions here: read it, " + "or write it from the processor that owns each partition");
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
}
