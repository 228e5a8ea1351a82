package io.weir.streams.state.internals;

import io.weir.state.WindowedKey;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.ValueAndTimestamp;

/** A window store of values with their timestamps: the DSL's windowed aggregations. */
final class TimestampedWindowStoreFacade<K, V> extends WindowStoreFacade<K, ValueAndTimestamp<V>>
        implements TimestampedWindowStore<K, V> {

    TimestampedWindowStoreFacade(
            io.weir.state.WindowStore<K, ValueAndTimestamp<V>> store,
            boolean persistent,
            FlushTarget<WindowedKey<K>, ValueAndTimestamp<V>> flushes) {
        super(store, persistent, flushes);
    }

    @Override
    public ReadOnlyWindowStore<K, ?> ownerView() {
        return new CommittedWindowView<>(name(), store, ValueAndTimestamp::value, queryIterators);
    }

    /** A query sees the values without their timestamps, as Kafka's {@code windowStore()} type does. */
    @Override
    public Object queryView() {
        return new CommittedWindowView<>(name(), store.readOnlyView(), ValueAndTimestamp::value, queryIterators);
    }
}
