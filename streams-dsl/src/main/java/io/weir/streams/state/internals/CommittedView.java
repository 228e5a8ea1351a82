package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.streams.errors.StateStoreMigratedException;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The committed data of one task's store as interactive queries read it: thread-safe, each scan one snapshot of the
 * last commit, stored values mapped to what a query sees. A store that closed under the query (its task moved or the
 * application stopped) is reported as {@link StateStoreMigratedException}, which the caller may retry.
 *
 * <p>Every iterator it opens is registered in {@code open} until closed, so that the task can close the ones a
 * query left open before it closes the store (a store does not close while iterators are open, and a task that
 * cannot close its stores cannot move); the query then sees {@link StateStoreMigratedException} on its next call.
 */
final class CommittedView<K, S, V> implements ReadOnlyKeyValueStore<K, V> {
    private final String name;
    private final io.weir.state.ReadOnlyKeyValueStore<K, S> committed;
    private final Function<S, V> toQueried;
    private final Set<AutoCloseable> open;

    CommittedView(
            String name,
            io.weir.state.ReadOnlyKeyValueStore<K, S> committed,
            Function<S, V> toQueried,
            Set<AutoCloseable> open) {
        this.name = name;
        this.committed = committed;
        this.toQueried = toQueried;
        this.open = open;
    }

    @SuppressWarnings("unchecked")
    CommittedView(String name, io.weir.state.ReadOnlyKeyValueStore<K, S> committed, Set<AutoCloseable> open) {
        this(name, committed, s -> (V) s, open);
    }

    @Override
    public V get(K key) {
        return read(() -> {
            S stored = committed.get(key);
            return stored == null ? null : toQueried.apply(stored);
        });
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return iterator(() -> committed.range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return iterator(() -> committed.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterator(committed::all);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return iterator(committed::reverseAll);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        io.weir.state.Serde<P> bytes = io.weir.state.Serde.of(p -> prefixKeySerializer.serialize(name, p), b -> {
            throw new UnsupportedOperationException("a prefix is only written");
        });
        return iterator(() -> committed.prefixScan(prefix, bytes));
    }

    @Override
    public long approximateNumEntries() {
        return read(committed::approximateNumEntries);
    }

    private <T> T read(Supplier<T> call) {
        return QueryIterator.read(name, call);
    }

    private KeyValueIterator<K, V> iterator(Supplier<io.weir.state.KeyValueIterator<K, S>> scan) {
        return QueryIterator.open(name, read(scan), k -> k, toQueried, open);
    }
}
