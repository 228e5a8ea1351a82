package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.state.KeyValueBytesStoreSupplier;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.Stores;
import io.weir.streams.state.TimestampedKeyValueStore;

/** Turns a {@link Materialized} into the store builder of a DSL table, with a generated name where none was given. */
final class MaterializedInternal {
    private MaterializedInternal() {
    }

    static String storeName(Materialized<?, ?, ?> materialized, InternalStreamsBuilder builder, String prefix) {
        return materialized != null && materialized.storeName() != null ? materialized.storeName() : builder.newName(prefix);
    }

    static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> storeBuilder(Materialized<K, V, ?> materialized, String storeName,
                                                                          Serde<K> keySerde, Serde<V> valueSerde) {
        KeyValueBytesStoreSupplier supplier = materialized != null && materialized.storeSupplier() != null
                ? materialized.storeSupplier() : Stores.persistentKeyValueStore(storeName);
        Serde<K> keys = materialized != null && materialized.keySerde() != null ? materialized.keySerde() : keySerde;
        Serde<V> values = materialized != null && materialized.valueSerde() != null ? materialized.valueSerde() : valueSerde;
        StoreBuilder<TimestampedKeyValueStore<K, V>> builder = Stores.timestampedKeyValueStoreBuilder(supplier, keys, values);
        if (materialized != null && !materialized.cachingEnabled()) {
            builder.withCachingDisabled();
        }
        if (materialized != null && !materialized.loggingEnabled()) {
            builder.withLoggingDisabled();
        } else if (materialized != null) {
            builder.withLoggingEnabled(materialized.topicConfig());
        }
        return builder;
    }
}
