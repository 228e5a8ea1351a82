package io.weir.streams.state.internals;

import io.weir.streams.kstream.Windowed;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.WindowStoreIterator;
import java.util.Set;
import java.util.function.Function;

/**
 * The committed data of one task's window store as interactive queries read it: thread-safe, each scan one snapshot
 * of the last commit, stored values mapped to what a query sees; see {@link CommittedView} for the migration rules.
 */
final class CommittedWindowView<K, S, V> implements ReadOnlyWindowStore<K, V> {
    private final String name;
    private final io.weir.state.ReadOnlyWindowStore<K, S> committed;
    private final Function<S, V> toQueried;
    private final Set<AutoCloseable> open;

    CommittedWindowView(
            String name,
            io.weir.state.ReadOnlyWindowStore<K, S> committed,
            Function<S, V> toQueried,
            Set<AutoCloseable> open) {
        this.name = name;
        this.committed = committed;
        this.toQueried = toQueried;
        this.open = open;
    }

    @Override
    public V fetch(K key, long time) {
        S stored = QueryIterator.read(name, () -> committed.fetch(key, time));
        return stored == null ? null : toQueried.apply(stored);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        return QueryIterator.openWindow(
                name, QueryIterator.read(name, () -> committed.fetch(key, timeFrom, timeTo)), toQueried, open);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, long timeFrom, long timeTo) {
        return QueryIterator.openWindow(
                name, QueryIterator.read(name, () -> committed.backwardFetch(key, timeFrom, timeTo)), toQueried, open);
    }

    private KeyValueIterator<Windowed<K>, V> windows(
            java.util.function.Supplier<io.weir.state.KeyValueIterator<io.weir.state.WindowedKey<K>, S>> scan) {
        return QueryIterator.open(name, QueryIterator.read(name, scan), WindowedKeys::timeWindowed, toQueried, open);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return windows(() -> committed.fetch(keyFrom, keyTo, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return windows(() -> committed.backwardFetch(keyFrom, keyTo, timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        return windows(() -> committed.fetchAll(timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(long timeFrom, long timeTo) {
        return windows(() -> committed.backwardFetchAll(timeFrom, timeTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        return windows(committed::all);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardAll() {
        return windows(committed::backwardAll);
    }
}
