package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Aggregator;
import io.weir.streams.kstream.Initializer;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Reducer;
import io.weir.streams.kstream.SlidingWindows;
import io.weir.streams.kstream.TimeWindowedKStream;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.WindowedSerdes;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;

/**
 * A grouped stream windowed by {@link TimeWindows} or {@link SlidingWindows}: each aggregation adds the windowing's
 * processor (after the grouping's repartition topic, if any) and its timestamped window store, and returns the table
 * of windows. The two windowings differ only in what {@link Windowing} says.
 */
final class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
    /** What a time-windowed aggregation needs of its windows. */
    interface Windowing {
        /** The size of a window: its end minus its start, for the windowed serde and the store. */
        long sizeMs();

        /** The least retention of the store, without the grace. */
        long spanMs();

        long graceMs();

        <K, V, VA> Processor<K, V, Windowed<K>, Change<VA>> processor(
                String name, String storeName, KStreamAggregate.Step<K, V, VA> step);
    }

    private final KGroupedStreamImpl<K, V> grouped;
    private final Windowing windows;

    private TimeWindowedKStreamImpl(KGroupedStreamImpl<K, V> grouped, Windowing windows) {
        this.grouped = grouped;
        this.windows = windows;
    }

    static <K, V> TimeWindowedKStreamImpl<K, V> of(KGroupedStreamImpl<K, V> grouped, TimeWindows windows) {
        return new TimeWindowedKStreamImpl<>(grouped, new Windowing() {
            @Override
            public long sizeMs() {
                return windows.size();
            }

            @Override
            public long spanMs() {
                return windows.size();
            }

            @Override
            public long graceMs() {
                return windows.gracePeriodMs();
            }

            @Override
            public <K1, V1, VA> Processor<K1, V1, Windowed<K1>, Change<VA>> processor(
                    String name, String storeName, KStreamAggregate.Step<K1, V1, VA> step) {
                return new KStreamWindowAggregate<>(name, storeName, windows, step);
            }
        });
    }

    /**
     * Sliding windows, kept for twice the time difference plus the grace: a record in the grace period reads windows
     * starting up to {@code 2 * timeDifference} before it.
     */
    static <K, V> TimeWindowedKStreamImpl<K, V> of(KGroupedStreamImpl<K, V> grouped, SlidingWindows windows) {
        return new TimeWindowedKStreamImpl<>(grouped, new Windowing() {
            @Override
            public long sizeMs() {
                return windows.timeDifferenceMs();
            }

            @Override
            public long spanMs() {
                return 2 * windows.timeDifferenceMs();
            }

            @Override
            public long graceMs() {
                return windows.gracePeriodMs();
            }

            @Override
            public <K1, V1, VA> Processor<K1, V1, Windowed<K1>, Change<VA>> processor(
                    String name, String storeName, KStreamAggregate.Step<K1, V1, VA> step) {
                return new KStreamSlidingWindowAggregate<>(name, storeName, windows, step);
            }
        });
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
        ProcessorSupplier<K, V, Windowed<K>, Change<VA>> aggregate = () -> windows.processor(name, storeName, step);
        builder.topology().addProcessor(name, aggregate, parent);
        Serde<K> keySerde = MaterializedInternal.keySerde(materialized, stream.keySerde());
        Serde<VA> valueSerde = MaterializedInternal.valueSerde(materialized, defaultValueSerde);
        var store = MaterializedInternal.windowStoreBuilder(
                materialized, storeName, windows.sizeMs(), windows.spanMs(), windows.graceMs(), keySerde, valueSerde);
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(
                        builder,
                        name,
                        keySerde == null ? null : new WindowedSerdes.TimeWindowedSerde<>(keySerde, windows.sizeMs()),
                        valueSerde,
                        MaterializedInternal.queryable(materialized) ? storeName : null,
                        getters(storeName))
                .windowed(WindowedOrigin.time(windows.sizeMs(), windows.graceMs()));
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
