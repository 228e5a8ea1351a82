package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.KeyValueBytesStoreSupplier;
import io.weir.streams.state.SessionBytesStoreSupplier;
import io.weir.streams.state.WindowBytesStoreSupplier;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How an operator keeps its table: the store's name (which also names its changelog topic,
 * {@code <application.id>-<name>-changelog}, and makes it queryable), where its bytes live (LMDB by default, or
 * memory), its serdes, and whether it is cached and change-logged. As Kafka Streams' {@code Materialized}. Each
 * {@code with*} returns this object, as Kafka's does.
 *
 * @param <S> the store type, as in Kafka ({@code KeyValueStore<Bytes, byte[]>}); only for the caller's typing
 */
public final class Materialized<K, V, S extends StateStore> {
    private String storeName;
    private KeyValueBytesStoreSupplier supplier;
    private WindowBytesStoreSupplier windowSupplier;
    private SessionBytesStoreSupplier sessionSupplier;
    private Duration retention;
    private Serde<K> keySerde;
    private Serde<V> valueSerde;
    private boolean cachingEnabled = true;
    private boolean loggingEnabled = true;
    private Map<String, String> topicConfig = Map.of();

    private Materialized() {}

    /** A store of this name (queryable), on LMDB. */
    public static <K, V, S extends StateStore> Materialized<K, V, S> as(String storeName) {
        Named.validate(storeName);
        Materialized<K, V, S> m = new Materialized<>();
        m.storeName = storeName;
        return m;
    }

    /** A store on the supplier's bytes (for example {@code Stores.inMemoryKeyValueStore(name)}), named after it. */
    public static <K, V, S extends StateStore> Materialized<K, V, S> as(KeyValueBytesStoreSupplier supplier) {
        Materialized<K, V, S> m = new Materialized<>();
        m.supplier = Objects.requireNonNull(supplier, "supplier");
        m.storeName = supplier.name();
        return m;
    }

    /** A windowed aggregation's store on the supplier's bytes, named after it; its retention is the supplier's. */
    public static <K, V, S extends StateStore> Materialized<K, V, S> as(WindowBytesStoreSupplier supplier) {
        Materialized<K, V, S> m = new Materialized<>();
        m.windowSupplier = Objects.requireNonNull(supplier, "supplier");
        m.storeName = supplier.name();
        return m;
    }

    /** A session aggregation's store on the supplier's bytes, named after it; its retention is the supplier's. */
    public static <K, V, S extends StateStore> Materialized<K, V, S> as(SessionBytesStoreSupplier supplier) {
        Materialized<K, V, S> m = new Materialized<>();
        m.sessionSupplier = Objects.requireNonNull(supplier, "supplier");
        m.storeName = supplier.name();
        return m;
    }

    /** An unnamed store with these serdes. */
    public static <K, V, S extends StateStore> Materialized<K, V, S> with(Serde<K> keySerde, Serde<V> valueSerde) {
        Materialized<K, V, S> m = new Materialized<>();
        m.keySerde = keySerde;
        m.valueSerde = valueSerde;
        return m;
    }

    public Materialized<K, V, S> withKeySerde(Serde<K> serde) {
        this.keySerde = serde;
        return this;
    }

    public Materialized<K, V, S> withValueSerde(Serde<V> serde) {
        this.valueSerde = serde;
        return this;
    }

    public Materialized<K, V, S> withCachingEnabled() {
        this.cachingEnabled = true;
        return this;
    }

    public Materialized<K, V, S> withCachingDisabled() {
        this.cachingEnabled = false;
        return this;
    }

    /** Back the store with a compacted changelog topic, with these topic configs. */
    public Materialized<K, V, S> withLoggingEnabled(Map<String, String> config) {
        this.loggingEnabled = true;
        this.topicConfig = Map.copyOf(config);
        return this;
    }

    public Materialized<K, V, S> withLoggingDisabled() {
        this.loggingEnabled = false;
        this.topicConfig = Map.of();
        return this;
    }

    /**
     * How long a windowed aggregation keeps its windows (default: the window size plus the grace period, which is
     * also the least it accepts).
     *
     * @throws IllegalArgumentException if negative
     */
    public Materialized<K, V, S> withRetention(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("Retention must not be negative, was " + retention);
        }
        this.retention = retention;
        return this;
    }

    public String storeName() {
        return storeName;
    }

    public KeyValueBytesStoreSupplier storeSupplier() {
        return supplier;
    }

    public WindowBytesStoreSupplier windowStoreSupplier() {
        return windowSupplier;
    }

    public SessionBytesStoreSupplier sessionStoreSupplier() {
        return sessionSupplier;
    }

    /** The retention given by {@link #withRetention}, or null. */
    public Duration retention() {
        return retention;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    public boolean cachingEnabled() {
        return cachingEnabled;
    }

    public boolean loggingEnabled() {
        return loggingEnabled;
    }

    public Map<String, String> topicConfig() {
        return topicConfig;
    }
}
