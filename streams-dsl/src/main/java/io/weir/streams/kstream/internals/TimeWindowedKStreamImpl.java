package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Aggregator;
import io.weir.streams.kstream.Initializer;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Reducer;
import io.weir.streams.kstream.TimeWindowedKStream;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.WindowedSerdes;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;

/**
 * A grouped stream windowed by time: each aggregation adds a {@link KStreamWindowAggregate} (after the grouping's
 * repartition topic, if any) and its timestamped window store, and returns the table of windows.
 */
final class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
    private final KGroupedStreamImpl<K, V> grouped;
    private final TimeWindows windows;

    TimeWindowedKStreamImpl(KGroupedStreamImpl<K, V> grouped, TimeWindows windows) {
        this.grouped = grouped;
        this.windows = windows;
    }

    @Override
    public KTable<Windowed<K>, Long> count() {
        return count(null, null);
    }

    @Override
    public KTable<Windowed<K>, Long> count(Named named) {
        return count(named, null);
    }

    @Override
    public KTable<Windowed<K>, Long> count(Materialized<K, Long, ? extends StateStore> materialized) {
        return count(null, materialized);
    }

    @Override
    public KTable<Windowed<K>, Long> count(Named named, Materialized<K, Long, ? extends StateStore> materialized) {
        return build((k, v, previous) -> previous == null ? 1L : previous + 1, named, materialized, Serdes.Long());
    }

    @Override
    public KTable<Windowed<K>, V> reduce(Reducer<V> reducer) {
        return reduce(reducer, null, null);
    }

    @Override
    public KTable<Windowed<K>, V> reduce(Reducer<V> reducer, Materialized<K, V, ? extends StateStore> materialized) {
        return reduce(reducer, null, materialized);
    }

    @Override
    public KTable<Windowed<K>, V> reduce(
            Reducer<V> reducer, Named named, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(reducer, "reducer");
        return build(
                (k, v, previous) -> previous == null ? v : reducer.apply(previous, v),
                named,
                materialized,
                grouped.stream().valueSerde());
    }

    @Override
    public <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer, Aggregator<? super K, ? super V, VR> aggregator) {
        return aggregate(initializer, aggregator, null, null);
    }

    @Override
    public <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return aggregate(initializer, aggregator, null, materialized);
    }

    @Override
    public <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized) {
        Objects.requireNonNull(initializer, "initializer");
        Objects.requireNonNull(aggregator, "aggregator");
        return build(
                (k, v, previous) -> aggregator.apply(k, v, previous == null ? initializer.apply() : previous),
                named,
                materialized,
                null);
    }

    private <VA> KTable<Windowed<K>, VA> build(
            KStreamAggregate.Step<K, V, VA> step,
            Named named,
            Materialized<K, VA, ?> materialized,
            Serde<VA> defaultValueSerde) {
        KStreamImpl<K, V> stream = grouped.stream();
        InternalStreamsBuilder builder = stream.builder();
        String storeName = MaterializedInternal.storeName(materialized, builder, "KSTREAM-AGGREGATE-STATE-STORE-");
        String name = builder.name(named, "KSTREAM-AGGREGATE-");
        String parent = grouped.aggregationParent(storeName);
        ProcessorSupplier<K, V, Windowed<K>, Change<VA>> aggregate =
                () -> new KStreamWindowAggregate<>(name, storeName, windows, step);
        builder.topology().addProcessor(name, aggregate, parent);
        Serde<K> keySerde = MaterializedInternal.keySerde(materialized, stream.keySerde());
        Serde<VA> valueSerde = MaterializedInternal.valueSerde(materialized, defaultValueSerde);
        var store = MaterializedInternal.windowStoreBuilder(
                materialized, storeName, windows.size(), windows.gracePeriodMs(), keySerde, valueSerde);
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(
                builder,
                name,
                keySerde == null ? null : new WindowedSerdes.TimeWindowedSerde<>(keySerde, windows.size()),
                valueSerde,
                MaterializedInternal.queryable(materialized) ? storeName : null,
                getters(storeName));
    }

    /** Reads a window's current aggregate from the store, for joins against the windowed table. */
    static <K, VA> KTableValueGetter.Supplier<Windowed<K>, VA> getters(String storeName) {
        return new KTableValueGetter.Supplier<>() {
            @Override
            public KTableValueGetter<Windowed<K>, VA> get() {
                return new KTableValueGetter<>() {
                    private TimestampedWindowStore<K, VA> store;

                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        store = context.getStateStore(storeName);
                    }

                    @Override
                    public ValueAndTimestamp<VA> get(Windowed<K> key) {
                        return store.fetch(key.key(), key.window().start());
                    }
                };
            }

            @Override
            public String[] storeNames() {
                return new String[] {storeName};
            }
        };
    }
}
