package io.weir.streams.state.internals;

import io.weir.state.FlushListener;
import io.weir.state.WindowedKey;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.WindowStore;
import io.weir.streams.state.WindowStoreIterator;

/**
 * Kafka Streams' {@link WindowStore} over a state-store module window store, keys as {@link Windowed}. Used by its
 * task's thread only, as the store beneath it requires.
 */
public class WindowStoreFacade<K, V> extends AbstractManagedStore
        implements WindowStore<K, V>, CachedStore<Windowed<K>, V> {
    final io.weir.state.WindowStore<K, V> store;
    private final FlushTarget<WindowedKey<K>, V> flushes;

    /** @param flushes where the store's cache hands its flushed entries, or null if it has no cache */
    WindowStoreFacade(
            io.weir.state.WindowStore<K, V> store, boolean persistent, FlushTarget<WindowedKey<K>, V> flushes) {
        super(store, persistent);
        this.store = store;
        this.flushes = flushes;
    }

    @Override
    public boolean setFlushListener(FlushListener<Windowed<K>, V> listener) {
        if (flushes == null) {
            return false;
        }
        flushes.set((key, now, before) -> listener.onFlush(WindowedKeys.timeWindowed(key), now, before));
        return true;
    }

    /** The newest window start put or restored so far; {@link Long#MIN_VALUE} for an empty store. */
    public long observedStreamTime() {
        return store.observedStreamTime();
    }

    @Override
    public void put(K key, V value, long windowStartTimestamp) {
        store.put(key, value, windowStartTimestamp);
    }

    @Override
    public V fetch(K key, long time) {
        return store.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        return StoreIterators.window(store.fetch(key, timeFrom, timeTo));
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, long timeFrom, long timeTo) {
        return StoreIterators.window(store.backwardFetch(key, timeFrom, timeTo));
    }

    private static <K, V> KeyValueIterator<Windowed<K>, V> windows(
            io.weir.state.KeyValueIterator<WindowedKey<K>, V> it) {
        return StoreIterators.mapKeys(it, WindowedKeys::timeWindowed);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return windows(store.fetch(keyFrom, keyTo, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return windows(store.backwardFetch(keyFrom, keyTo, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        return windows(store.fetchAll(timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(long timeFrom, long timeTo) {
        return windows(store.backwardFetchAll(timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        return windows(store.all());
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardAll() {
        return windows(store.backwardAll());
    }

    @Override
    public Object queryView() {
        return new CommittedWindowView<>(name(), store.readOnlyView(), v -> v, queryIterators);
    }

    /**
     * The owner's reads (uncommitted writes included) as a query sees values: for the test driver, which reads
     * stores between records on the thread that writes them.
     */
    public ReadOnlyWindowStore<K, ?> ownerView() {
        return new CommittedWindowView<>(name(), store, v -> v, queryIterators);
    }
}
