package io.weir.streams.state;

import io.weir.common.serialization.Serde;
import io.weir.streams.state.internals.KeyValueStoreBuilderImpl;
import io.weir.streams.state.internals.StoreSupplier;

/** Factories of stores, as Kafka Streams' {@code Stores}: LMDB in Weir where Kafka has RocksDB. */
public final class Stores {

    private Stores() {}

    /** A store on LMDB, in the task's directory under {@code state.dir}. */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
        return new StoreSupplier(name, true);
    }

    /** A store in memory, rebuilt from its changelog after a restart. */
    public static KeyValueBytesStoreSupplier inMemoryKeyValueStore(String name) {
        return new StoreSupplier(name, false);
    }

    /**
     * A builder of a key-value store on {@code supplier}'s bytes; a null serde means the application's default.
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueStoreBuilder(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        return new KeyValueStoreBuilderImpl<>(supplier, keySerde, valueSerde);
    }

    /** A builder of a store whose values carry their timestamps, as the DSL's tables keep them. */
    public static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> timestampedKeyValueStoreBuilder(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        return KeyValueStoreBuilderImpl.timestamped(supplier, keySerde, valueSerde);
    }
}
