package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.GlobalKTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.internals.StoreFactory;

/**
 * A {@link GlobalKTable} as the topology knows it: the global store that holds it, which a stream's join reads
 * through {@link #valueGetterSupplier()}. Immutable.
 */
public final class GlobalKTableImpl<K, V> implements GlobalKTable<K, V> {
    private final String storeName;
    private final String queryableStoreName;

    /** @param queryable whether the user named the store (Kafka Streams' {@code queryableStoreName} is null otherwise) */
    public GlobalKTableImpl(String storeName, boolean queryable) {
        this.storeName = storeName;
        this.queryableStoreName = queryable ? storeName : null;
    }

    /**
     * Adds {@code StreamsBuilder.globalTable}'s nodes: a global store kept by a table source, named as Kafka Streams
     * names them (the store {@code <topic>-STATE-STORE-}, then the source {@code KSTREAM-SOURCE-}, then the table
     * source {@code KTABLE-SOURCE-}, or {@code <Consumed name>} and {@code <Consumed name>-table-source}). The store
     * takes {@code consumed}'s serdes and never has a changelog of its own: its topic is its changelog.
     */
    public static <K, V> GlobalKTable<K, V> build(
            InternalStreamsBuilder builder,
            String topic,
            Consumed<K, V> consumed,
            Materialized<K, V, ? extends StateStore> materialized) {
        String storeName = MaterializedInternal.storeName(materialized, builder, topic + "-STATE-STORE-");
        String sourceName = consumed.name() != null ? consumed.name() : builder.newName("KSTREAM-SOURCE-");
        String processorName =
                consumed.name() != null ? consumed.name() + "-table-source" : builder.newName("KTABLE-SOURCE-");
        Serde<K> keys = consumed.keySerde();
        Serde<V> values = consumed.valueSerde();
        var store = MaterializedInternal.storeBuilder(materialized, storeName, keys, values);
        store.withLoggingDisabled();
        builder.topology()
                .addGlobalStore(
                        (StoreFactory) store,
                        sourceName,
                        consumed.timestampExtractor(),
                        keys == null ? null : keys.deserializer(),
                        values == null ? null : values.deserializer(),
                        topic,
                        processorName,
                        (io.weir.streams.processor.api.ProcessorSupplier<K, V, K, Change<V>>)
                                () -> new KTableSource<>(processorName, storeName));
        return new GlobalKTableImpl<>(storeName, MaterializedInternal.queryable(materialized));
    }

    @Override
    public String queryableStoreName() {
        return queryableStoreName;
    }

    /** Getters reading the global store from a stream task: its committed data, read-only. */
    KTableValueGetter.Supplier<K, V> valueGetterSupplier() {
        return KTableImpl.fromStore(storeName);
    }
}
