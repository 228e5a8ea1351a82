package io.weir.streams.state.internals;

import io.weir.streams.kstream.Windowed;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.WindowStoreIterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads across every partition's instance of one window store, as {@link CompositeReadOnlyStore} does for key-value
 * stores: a key lives in one instance, so a one-key read asks each in turn; scans chain the instances.
 */
public final class CompositeReadOnlyWindowStore<K, V> implements ReadOnlyWindowStore<K, V> {
    private final String name;
    private final Supplier<List<ReadOnlyWindowStore<K, V>>> instances;

    public CompositeReadOnlyWindowStore(String name, Supplier<List<ReadOnlyWindowStore<K, V>>> instances) {
        this.name = name;
        this.instances = instances;
    }

    @Override
    public V fetch(K key, long time) {
        for (ReadOnlyWindowStore<K, V> store : instances.get()) {
            V value = store.fetch(key, time);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private WindowStoreIterator<V> oneKey(Function<ReadOnlyWindowStore<K, V>, WindowStoreIterator<V>> scan) {
        return ChainedIterator.overWindows(name, instances.get(), scan);
    }

    private KeyValueIterator<Windowed<K>, V> chain(
            Function<ReadOnlyWindowStore<K, V>, KeyValueIterator<Windowed<K>, V>> scan) {
        return ChainedIterator.over(name, instances.get(), scan);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        return oneKey(s -> s.fetch(key, timeFrom, timeTo));
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, long timeFrom, long timeTo) {
        return oneKey(s -> s.backwardFetch(key, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return chain(s -> s.fetch(keyFrom, keyTo, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return chain(s -> s.backwardFetch(keyFrom, keyTo, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        return chain(s -> s.fetchAll(timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(long timeFrom, long timeTo) {
        return chain(s -> s.backwardFetchAll(timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        return chain(ReadOnlyWindowStore::all);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardAll() {
        return chain(ReadOnlyWindowStore::backwardAll);
    }
}
