package io.weir.streams.kstream.internals;

import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.state.ValueAndTimestamp;

/**
 * Reads a table's current value of a key at one node of the topology: from the store where the table is kept, through
 * the filters and mappers between that store and the node. One instance per task, made by its supplier.
 */
interface KTableValueGetter<K, V> {

    void init(ProcessorContext<?, ?> context);

    ValueAndTimestamp<V> get(K key);

    /** Makes getters, and names the stores they read, which the reading processor must be connected to. */
    interface Supplier<K, V> {
        KTableValueGetter<K, V> get();

        String[] storeNames();
    }
}
