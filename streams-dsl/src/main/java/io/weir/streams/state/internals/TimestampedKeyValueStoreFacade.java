package io.weir.streams.state.internals;

import io.weir.streams.state.ReadOnlyKeyValueStore;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;

/** A store of values with their timestamps: the DSL's tables. */
final class TimestampedKeyValueStoreFacade<K, V> extends KeyValueStoreFacade<K, ValueAndTimestamp<V>>
        implements TimestampedKeyValueStore<K, V> {
    private final io.weir.state.KeyValueStore<K, ValueAndTimestamp<V>> store;

    TimestampedKeyValueStoreFacade(
            io.weir.state.KeyValueStore<K, ValueAndTimestamp<V>> store,
            boolean persistent,
            FlushTarget<K, ValueAndTimestamp<V>> flushes) {
        super(store, persistent, flushes);
        this.store = store;
    }

    /** A query sees a table's values without their timestamps, as Kafka's {@code keyValueStore()} type does. */
    @Override
    public ReadOnlyKeyValueStore<?, ?> queryView() {
        return new CommittedView<>(name(), store.readOnlyView(), ValueAndTimestamp::value, queryIterators);
    }

    /** A query's view with each value's timestamp, for {@code QueryableStoreTypes.timestampedKeyValueStore()}. */
    ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>> timestampedQueryView() {
        return new CommittedView<>(name(), store.readOnlyView(), queryIterators);
    }
}
