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
import java.util.Objects;

/**
 * A key-value store's recipe: opened once per task over the state-store module's LMDB or in-memory store, with the
 * user's serdes adapted to the store's byte order (or the application's defaults where none was given).
 */
public final class KeyValueStoreBuilderImpl<K, V> extends AbstractStoreBuilder<KeyValueStore<K, V>> {
    private final KeyValueBytesStoreSupplier supplier;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final boolean timestamped;

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
    public String name() {
        return supplier.name();
    }

    @Override
    public boolean persistent() {
        return supplier.persistent();
    }

    @Override
    public ManagedStore open(StoreContext context) {
        Serde<K> keys = orDefault(keySerde, context.defaultKeySerde());
        Serde<V> values = orDefault(valueSerde, context.defaultValueSerde());
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

    private <T> io.weir.state.KeyValueStore<K, T> build(
            StoreContext context, Serde<K> keys, Serde<T> values, FlushTarget<K, T> flushes) {
        String topic = context.changelogTopic();
        KeyValueStoreBuilder<K, T> builder = KeyValueStores.builder(
                        name(), StoreSerdes.adapt(keys, topic), StoreSerdes.adapt(values, topic))
                .config(StoreConfig.DEFAULTS.withCacheMaxBytes(cached(context) ? context.cacheMaxBytes() : 0))
                .time(context.time());
        if (logged(context)) {
            builder = builder.changelog(context.changelog());
        }
        if (cached(context)) {
            builder = builder.flushListener(flushes);
        }
        builder = supplier.persistent() ? builder.lmdb(context.taskDirectory().resolve(name())) : builder.inMemory();
        return builder.build();
    }
}
