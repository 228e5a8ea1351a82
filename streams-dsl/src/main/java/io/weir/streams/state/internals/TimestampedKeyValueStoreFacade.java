package io.weir.streams.state.internals;

import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;

/** A store of values with their timestamps: the DSL's tables. */
final class TimestampedKeyValueStoreFacade<K, V> extends KeyValueStoreFacade<K, ValueAndTimestamp<V>>
        implements TimestampedKeyValueStore<K, V> {
    TimestampedKeyValueStoreFacade(io.weir.state.KeyValueStore<K, ValueAndTimestamp<V>> store, boolean persistent) {
        super(store, persistent);
    }
}
