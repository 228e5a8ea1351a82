package io.weir.streams.state;

import io.weir.common.serialization.Serde;
import io.weir.streams.state.internals.KeyValueStoreBuilderImpl;
import io.weir.streams.state.internals.StoreSupplier;
import io.weir.streams.state.internals.WindowStoreBuilderImpl;
import io.weir.streams.state.internals.WindowStoreSupplier;
import java.time.Duration;

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

    /**
     * A window store on LMDB, keeping windows for {@code retentionPeriod} back from the newest window start seen.
     *
     * @throws IllegalArgumentException if the window size is not positive or exceeds the retention
     */
    public static WindowBytesStoreSupplier persistentWindowStore(
            String name, Duration retentionPeriod, Duration windowSize, boolean retainDuplicates) {
        return WindowStoreSupplier.window(
                name, retentionPeriod.toMillis(), windowSize.toMillis(), retainDuplicates, true);
    }

    /** A window store in memory, rebuilt from its changelog after a restart. */
    public static WindowBytesStoreSupplier inMemoryWindowStore(
            String name, Duration retentionPeriod, Duration windowSize, boolean retainDuplicates) {
        return WindowStoreSupplier.window(
                name, retentionPeriod.toMillis(), windowSize.toMillis(), retainDuplicates, false);
    }

    /** A session store on LMDB, keeping sessions for {@code retentionPeriod} back from the newest session end seen. */
    public static SessionBytesStoreSupplier persistentSessionStore(String name, Duration retentionPeriod) {
        return WindowStoreSupplier.session(name, retentionPeriod.toMillis(), true);
    }

    /** A session store in memory, rebuilt from its changelog after a restart. */
    public static SessionBytesStoreSupplier inMemorySessionStore(String name, Duration retentionPeriod) {
        return WindowStoreSupplier.session(name, retentionPeriod.toMillis(), false);
    }

    /** A builder of a window store on {@code supplier}'s bytes; a null serde means the application's default. */
    public static <K, V> StoreBuilder<WindowStore<K, V>> windowStoreBuilder(
            WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        return WindowStoreBuilderImpl.window(supplier, keySerde, valueSerde);
    }

    /** A builder of a window store whose values carry their timestamps, as the DSL's windowed aggregations keep them. */
    public static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> timestampedWindowStoreBuilder(
            WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        return WindowStoreBuilderImpl.timestampedWindow(supplier, keySerde, valueSerde);
    }

    /** A builder of a session store on {@code supplier}'s bytes. */
    public static <K, V> StoreBuilder<SessionStore<K, V>> sessionStoreBuilder(
            SessionBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        return WindowStoreBuilderImpl.session(supplier, keySerde, valueSerde);
    }
}
