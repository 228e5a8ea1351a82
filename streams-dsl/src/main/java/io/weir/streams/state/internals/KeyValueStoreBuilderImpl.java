package io.weir.streams.state.internals;

import io.weir.common.serialization.Serde;
import io.weir.state.KeyValueStoreBuilder;
import io.weir.state.KeyValueStores;
import io.weir.state.StoreConfig;
import io.weir.streams.state.KeyValueBytesStoreSupplier;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import java.util.Map;
import java.util.Objects;

/**
 * A key-value store's recipe: opened once per task over the state-store module's LMDB or in-memory store, with the
 * user's serdes adapted to the store's byte order (or the application's defaults where none was given).
 */
public final class KeyValueStoreBuilderImpl<K, V> implements StoreBuilder<KeyValueStore<K, V>>, StoreFactory {
    private final KeyValueBytesStoreSupplier supplier;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final boolean timestamped;
    private boolean caching = true;
    private boolean logging = true;
    private Map<String, String> logConfig = Map.of();

    public KeyValueStoreBuilderImpl(KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        this(supplier, keySerde, valueSerde, false);
    }

    private KeyValueStoreBuilderImpl(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde, boolean timestamped) {
        this.supplier = Objects.requireNonNull(supplier, "supplier");
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.timestamped = timestamped;
    }

    /** A builder of a store whose values carry their timestamps, in Kafka Streams' byte layout. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> timestamped(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde) {
        return (StoreBuilder) new KeyValueStoreBuilderImpl<>(supplier, keySerde, valueSerde, true);
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
        caching = true;
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
        caching = false;
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
        logging = true;
        logConfig = Map.copyOf(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
        logging = false;
        logConfig = Map.of();
        return this;
    }

    @Override
    public String name() {
        return supplier.name();
    }

    @Override
    public boolean loggingEnabled() {
        return logging;
    }

    @Override
    public Map<String, String> logConfig() {
        return logConfig;
    }

    @Override
    public boolean persistent() {
        return supplier.persistent();
    }

    public boolean cachingEnabled() {
        return caching;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ManagedStore open(StoreContext context) {
        Serde<K> keys = keySerde != null
                ? keySerde
                : (Serde<K>) context.defaultKeySerde().get();
        Serde<V> values = valueSerde != null
                ? valueSerde
                : (Serde<V>) context.defaultValueSerde().get();
        if (timestamped) {
            FlushTarget<K, ValueAndTimestamp<V>> flushes = new FlushTarget<>();
            return new TimestampedKeyValueStoreFacade<>(
                    build(context, keys, new ValueAndTimestampSerde<>(values), flushes),
                    supplier.persistent(),
                    cached(context) ? flushes : null);
        }
        FlushTarget<K, V> flushes = new FlushTarget<>();
        return new KeyValueStoreFacade<>(
                build(context, keys, values, flushes), supplier.persistent(), cached(context) ? flushes : null);
    }

    private boolean cached(StoreContext context) {
        return caching && context.cacheMaxBytes() > 0;
    }

    private <T> io.weir.state.KeyValueStore<K, T> build(
            StoreContext context, Serde<K> keys, Serde<T> values, FlushTarget<K, T> flushes) {
        String topic = context.changelogTopic();
        KeyValueStoreBuilder<K, T> builder = KeyValueStores.builder(
                        name(), StoreSerdes.adapt(keys, topic), StoreSerdes.adapt(values, topic))
                .config(StoreConfig.DEFAULTS.withCacheMaxBytes(cached(context) ? context.cacheMaxBytes() : 0))
                .time(context.time());
        if (logging && context.changelog() != null) {
            builder = builder.changelog(context.changelog());
        }
        if (cached(context)) {
            builder = builder.flushListener(flushes);
        }
        builder = supplier.persistent() ? builder.lmdb(context.taskDirectory().resolve(name())) : builder.inMemory();
        return builder.build();
    }
}
