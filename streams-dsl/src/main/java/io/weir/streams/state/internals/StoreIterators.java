package io.weir.streams.state.internals;

import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.WindowStoreIterator;
import java.util.function.Function;

/** The owner thread's iterators: a state-store module iterator with its keys mapped, as the streams API types. */
final class StoreIterators {
    private StoreIterators() {}

    static <KS, K, V> KeyValueIterator<K, V> mapKeys(io.weir.state.KeyValueIterator<KS, V> it, Function<KS, K> toKey) {
        return new Mapped<>(it, toKey);
    }

    static <V> WindowStoreIterator<V> window(io.weir.state.KeyValueIterator<Long, V> it) {
        return new Window<>(it);
    }

    private static class Mapped<KS, K, V> implements KeyValueIterator<K, V> {
        private final io.weir.state.KeyValueIterator<KS, V> it;
        private final Function<KS, K> toKey;

        Mapped(io.weir.state.KeyValueIterator<KS, V> it, Function<KS, K> toKey) {
            this.it = it;
            this.toKey = toKey;
        }

        @Override
        public K peekNextKey() {
            return toKey.apply(it.peekNextKey());
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public KeyValue<K, V> next() {
            io.weir.state.KeyValue<KS, V> kv = it.next();
            return new KeyValue<>(toKey.apply(kv.key()), kv.value());
        }

        @Override
        public void close() {
            it.close();
        }
    }

    private static final class Window<V> extends Mapped<Long, Long, V> implements WindowStoreIterator<V> {
        Window(io.weir.state.KeyValueIterator<Long, V> it) {
            super(it, k -> k);
        }
    }
}
