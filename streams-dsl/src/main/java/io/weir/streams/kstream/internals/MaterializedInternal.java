package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.state.KeyValueBytesStoreSupplier;
import io.weir.streams.state.SessionBytesStoreSupplier;
import io.weir.streams.state.SessionStore;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.Stores;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.WindowBytesStoreSupplier;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link Materialized} into the store builder of a DSL table, with a generated name where none was given. */
final class MaterializedInternal {
    private static final Logger LOG = LoggerFactory.getLogger(MaterializedInternal.class);

    private MaterializedInternal() {}

    /**
     * The store's name: the user's, or a generated one with a warning. A generated name depends on the operator's
     * position in the topology, so adding an operator upstream renames the store and its changelog, and the state
     * starts over; naming it keeps the state across such changes.
     */
    static String storeName(Materialized<?, ?, ?> materialized, InternalStreamsBuilder builder, String prefix) {
        if (materialized != null && materialized.storeName() != null) {
            return materialized.storeName();
        }
        String generated = builder.newName(prefix);
        LOG.warn(
                "The store {} has a generated name, which changes when operators are added before it, losing its state: name it "
                        + "with Materialized.as(\"...\")",
                generated);
        return generated;
    }

    /** Whether the store is queryable: as in Kafka Streams, only a store the user named (its own or its supplier's). */
    /** {@code materialized}'s key serde, or {@code fallback} where it has none. */
    static <K> Serde<K> keySerde(Materialized<K, ?, ?> materialized, Serde<K> fallback) {
        return materialized != null && materialized.keySerde() != null ? materialized.keySerde() : fallback;
    }

    /** {@code materialized}'s value serde, or {@code fallback} where it has none. */
    static <V> Serde<V> valueSerde(Materialized<?, V, ?> materialized, Serde<V> fallback) {
        return materialized != null && materialized.valueSerde() != null ? materialized.valueSerde() : fallback;
    }

    static boolean queryable(Materialized<?, ?, ?> materialized) {
        return materialized != null && materialized.storeName() != null;
    }

    /**
     * The store builder of a DSL table, with the serdes the caller chose: an operator's own default where
     * {@code materialized} has none (Kafka's aggregations, {@code toTable}), or {@code Consumed}'s always
     * ({@code StreamsBuilder.table}). {@code materialized} is only read.
     */
    static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> storeBuilder(
            Materialized<K, V, ?> materialized, String storeName, Serde<K> keys, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = materialized != null && materialized.storeSupplier() != null
                ? materialized.storeSupplier()
                : Stores.persistentKeyValueStore(storeName);
        return withOptions(materialized, Stores.timestampedKeyValueStoreBuilder(supplier, keys, values));
    }

    /** Applies {@code materialized}'s caching and logging choices to {@code builder}. */
    private static <T extends StoreBuilder<?>> T withOptions(Materialized<?, ?, ?> materialized, T builder) {
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

    /**
     * The retention of a windowed aggregation's store: {@code materialized}'s, or the least it may be, the window
     * (or gap) plus the grace, as Kafka Streams defaults it.
     *
     * @throws IllegalArgumentException if {@code materialized} asks for less than that least
     */
    static long retention(Materialized<?, ?, ?> materialized, String storeName, long size, long grace) {
        long least = size + grace;
        if (materialized == null || materialized.retention() == null) {
            return least;
        }
        long retention = materialized.retention().toMillis();
        if (retention < least) {
            throw new IllegalArgumentException("The retention period of the window store " + storeName
                    + " must be no smaller than its window size plus the grace period. Got size=[" + size
                    + "], grace=[" + grace + "], retention=[" + retention + "]");
        }
        return retention;
    }

    /**
     * The store builder of a time-windowed aggregation: a timestamped window store of windows of {@code size}, on LMDB
     * by default, kept at least {@code span} plus the grace (the window size for time windows, twice the time
     * difference for sliding windows, as Kafka Streams keeps them).
     */
    static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> windowStoreBuilder(
            Materialized<K, V, ?> materialized,
            String storeName,
            long size,
            long span,
            long grace,
            Serde<K> keys,
            Serde<V> values) {
        WindowBytesStoreSupplier supplier = materialized != null && materialized.windowStoreSupplier() != null
                ? materialized.windowStoreSupplier()
                : Stores.persistentWindowStore(
                        storeName,
                        Duration.ofMillis(retention(materialized, storeName, span, grace)),
                        Duration.ofMillis(size),
                        false);
        return withOptions(materialized, Stores.timestampedWindowStoreBuilder(supplier, keys, values));
    }

    /** The store builder of a session aggregation, on LMDB by default. */
    static <K, V> StoreBuilder<SessionStore<K, V>> sessionStoreBuilder(
            Materialized<K, V, ?> materialized,
            String storeName,
            long gap,
            long grace,
            Serde<K> keys,
            Serde<V> values) {
        SessionBytesStoreSupplier supplier = materialized != null && materialized.sessionStoreSupplier() != null
                ? materialized.sessionStoreSupplier()
                : Stores.persistentSessionStore(
                        storeName, Duration.ofMillis(retention(materialized, storeName, gap, grace)));
        return withOptions(materialized, Stores.sessionStoreBuilder(supplier, keys, values));
    }
}
