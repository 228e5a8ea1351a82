package io.weir.streams.state.internals;

import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.WindowStoreIterator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * One store instance's iterator after another, as Kafka Streams' composite stores chain the partitions of a store:
 * each ordered within itself, not across them. All are opened up front (each holds its snapshot); closing closes
 * them all.
 */
class ChainedIterator<K, V> implements KeyValueIterator<K, V> {
    private final String name;
    private final List<? extends KeyValueIterator<K, V>> iterators;
    private final Iterator<? extends KeyValueIterator<K, V>> rest;
    private KeyValueIterator<K, V> current;

    ChainedIterator(String name, List<? extends KeyValueIterator<K, V>> iterators) {
        this.name = name;
        this.iterators = iterators;
        this.rest = iterators.iterator();
        this.current = rest.hasNext() ? rest.next() : null;
    }

    /** Opens {@code scan} on every instance; if one fails, closes those already open. */
    static <S, I extends KeyValueIterator<?, ?>> List<I> openAll(List<S> instances, Function<S, I> scan) {
        List<I> iterators = new ArrayList<>();
        try {
            for (S store : instances) {
                iterators.add(scan.apply(store));
            }
        } catch (RuntimeException e) {
            iterators.forEach(KeyValueIterator::close);
            throw e;
        }
        return iterators;
    }

    static <S, K, V> KeyValueIterator<K, V> over(
            String name, List<S> instances, Function<S, KeyValueIterator<K, V>> scan) {
        return new ChainedIterator<>(name, openAll(instances, scan));
    }

    static <S, V> WindowStoreIterator<V> overWindows(
            String name, List<S> instances, Function<S, WindowStoreIterator<V>> scan) {
        return new Window<>(name, openAll(instances, scan));
    }

    private boolean advance() {
        if (current == null) {
            return false;
        }
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

    private static final class Window<V> extends ChainedIterator<Long, V> implements WindowStoreIterator<V> {
        Window(String name, List<WindowStoreIterator<V>> iterators) {
            super(name, iterators);
        }
    }
}
