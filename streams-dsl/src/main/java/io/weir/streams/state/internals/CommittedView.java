package io.weir.streams.state.internals;

import io.weir.common.serialization.Serializer;
import io.weir.state.errors.StoreClosedException;
import io.weir.streams.KeyValue;
import io.weir.streams.errors.StateStoreMigratedException;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The committed data of one task's store as interactive queries read it: thread-safe, each scan one snapshot of the
 * last commit, stored values mapped to what a query sees. A store that closed under the query (its task moved or the
 * application stopped) is reported as {@link StateStoreMigratedException}, which the caller may retry.
 */
final class CommittedView<K, S, V> implements ReadOnlyKeyValueStore<K, V> {
    private final String name;
    private final io.weir.state.ReadOnlyKeyValueStore<K, S> committed;
    private final Function<S, V> toQueried;

    CommittedView(String name, io.weir.state.ReadOnlyKeyValueStore<K, S> committed, Function<S, V> toQueried) {
        this.name = name;
        this.committed = committed;
        this.toQueried = toQueried;
    }

    @SuppressWarnings("unchecked")
    CommittedView(String name, io.weir.state.ReadOnlyKeyValueStore<K, S> committed) {
        this(name, committed, s -> (V) s);
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
        try {
            return call.get();
        } catch (StoreClosedException e) {
            throw new StateStoreMigratedException(
                    "Store " + name + " closed while it was queried: its task moved or the application stopped; "
                            + "find the store again and retry",
                    e);
        }
    }

    private KeyValueIterator<K, V> iterator(Supplier<io.weir.state.KeyValueIterator<K, S>> open) {
        io.weir.state.KeyValueIterator<K, S> it = read(open);
        return new KeyValueIterator<>() {
            @Override
            public K peekNextKey() {
                return read(it::peekNextKey);
            }

            @Override
            public boolean hasNext() {
                return read(it::hasNext);
            }

            @Override
            public KeyValue<K, V> next() {
                io.weir.state.KeyValue<K, S> kv = read(it::next);
                return new KeyValue<>(kv.key(), toQueried.apply(kv.value()));
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }
}
