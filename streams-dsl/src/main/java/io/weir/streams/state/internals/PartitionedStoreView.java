package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Reads across every partition's instance of one store: a key lives in exactly one instance, so {@code get} asks
 * each in turn and scans chain the instances one after another (ordered within each, not across them, as Kafka's
 * composite stores for interactive queries are). Writes are refused: a write belongs to one task.
 */
public final class PartitionedStoreView<K, V> implements KeyValueStore<K, V> {
    private final String name;
    private final List<KeyValueStore<K, V>> instances;

    public PartitionedStoreView(String name, List<KeyValueStore<K, V>> instances) {
        this.name = name;
        this.instances = List.copyOf(instances);
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
        for (KeyValueStore<K, V> store : instances) {
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
        return chain(KeyValueStore::all);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return chain(KeyValueStore::reverseAll);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return chain(s -> s.prefixScan(prefix, prefixKeySerializer));
    }

    @Override
    public long approximateNumEntries() {
        long total = 0;
        for (KeyValueStore<K, V> store : instances) {
            total += store.approximateNumEntries();
        }
        return total;
    }

    private KeyValueIterator<K, V> chain(Function<KeyValueStore<K, V>, KeyValueIterator<K, V>> scan) {
        List<KeyValueIterator<K, V>> iterators = new ArrayList<>();
        for (KeyValueStore<K, V> store : instances) {
            iterators.add(scan.apply(store));
        }
        Iterator<KeyValueIterator<K, V>> rest = iterators.iterator();
        return new KeyValueIterator<>() {
            private KeyValueIterator<K, V> current = rest.next();

            private boolean advance() {
                while (!current.hasNext() && rest.hasNext()) {
                    current = rest.next();
                }
                return current.hasNext();
            }

            @Override
            public K peekNextKey() {
                if (!advance()) {
                    throw new NoSuchElementException("no more entries in store " + name);
                }
                return current.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return advance();
            }

            @Override
            public KeyValue<K, V> next() {
                if (!advance()) {
                    throw new NoSuchElementException("no more entries in store " + name);
                }
                return current.next();
            }

            @Override
            public void close() {
                iterators.forEach(KeyValueIterator::close);
            }
        };
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
