package io.weir.streams.state.internals;

import io.weir.state.errors.StoreClosedException;
import io.weir.streams.KeyValue;
import io.weir.streams.errors.StateStoreMigratedException;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.WindowStoreIterator;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A query's iterator over a store's committed data, keys and values mapped to what the query sees. Registered in
 * its store's set of open query iterators until closed, so that the task can close it before it closes the store.
 * Its methods are synchronized because the task may close it from the stream thread while the query's thread is
 * using it: the close waits for the call in progress, and the next call then fails as migrated instead of touching
 * a closed cursor.
 */
class QueryIterator<KS, S, K, V> implements KeyValueIterator<K, V> {
    private final String name;
    private final io.weir.state.KeyValueIterator<KS, S> it;
    private final Function<KS, K> toKey;
    private final Function<S, V> toValue;
    private final Set<AutoCloseable> open;
    private boolean closed;

    QueryIterator(
            String name,
            io.weir.state.KeyValueIterator<KS, S> it,
            Function<KS, K> toKey,
            Function<S, V> toValue,
            Set<AutoCloseable> open) {
        this.name = name;
        this.it = it;
        this.toKey = toKey;
        this.toValue = toValue;
        this.open = open;
    }

    /** Opens and registers an iterator. */
    static <KS, S, K, V> KeyValueIterator<K, V> open(
            String name,
            io.weir.state.KeyValueIterator<KS, S> it,
            Function<KS, K> toKey,
            Function<S, V> toValue,
            Set<AutoCloseable> open) {
        QueryIterator<KS, S, K, V> iterator = new QueryIterator<>(name, it, toKey, toValue, open);
        open.add(iterator);
        return iterator;
    }

    /** Opens and registers a one-key window iterator. */
    static <S, V> WindowStoreIterator<V> openWindow(
            String name, io.weir.state.KeyValueIterator<Long, S> it, Function<S, V> toValue, Set<AutoCloseable> open) {
        Window<S, V> iterator = new Window<>(name, it, toValue, open);
        open.add(iterator);
        return iterator;
    }

    /** Runs a read of the store, reporting a store closed under the query as migrated. */
    static <T> T read(String name, Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreClosedException e) {
            throw new StateStoreMigratedException(
                    "Store " + name + " closed while it was queried: its task moved or the application stopped; "
                            + "find the store again and retry",
                    e);
        }
    }

    @Override
    public synchronized K peekNextKey() {
        ensureOpen();
        return toKey.apply(read(name, it::peekNextKey));
    }

    @Override
    public synchronized boolean hasNext() {
        ensureOpen();
        return read(name, it::hasNext);
    }

    @Override
    public synchronized KeyValue<K, V> next() {
        ensureOpen();
        io.weir.state.KeyValue<KS, S> kv = read(name, it::next);
        return new KeyValue<>(toKey.apply(kv.key()), toValue.apply(kv.value()));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        open.remove(this);
        it.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new StateStoreMigratedException("The iterator over store " + name + " was closed: its task "
                    + "moved or the application stopped; query again");
        }
    }

    private static final class Window<S, V> extends QueryIterator<Long, S, Long, V> implements WindowStoreIterator<V> {
        Window(
                String name,
                io.weir.state.KeyValueIterator<Long, S> it,
                Function<S, V> toValue,
                Set<AutoCloseable> open) {
            super(name, it, k -> k, toValue, open);
        }
    }
}
