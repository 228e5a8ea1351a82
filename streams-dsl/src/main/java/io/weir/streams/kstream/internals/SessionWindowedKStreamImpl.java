package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Aggregator;
import io.weir.streams.kstream.Initializer;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Merger;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Reducer;
import io.weir.streams.kstream.SessionWindowedKStream;
import io.weir.streams.kstream.SessionWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.WindowedSerdes;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.SessionStore;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;

/**
 * A grouped stream windowed by sessions: each aggregation adds a {@link KStreamSessionWindowAggregate} (after the
 * grouping's repartition topic, if any) and its session store, and returns the table of sessions.
 */
final class SessionWindowedKStreamImpl<K, V> implements SessionWindowedKStream<K, V> {
    private final KGroupedStreamImpl<K, V> grouped;
    private final SessionWindows windows;

    SessionWindowedKStreamImpl(KGroupedStreamImpl<K, V> grouped, SessionWindows windows) {
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
        return build(() -> 0L, (k, v, agg) -> agg + 1, (k, a, b) -> a + b, named, materialized, Serdes.Long());
    }

    @Override
    public KTable<Windowed<K>, V> reduce(Reducer<V> reducer) {
        return reduce(reducer, null, null);
    }

    @Override
    public KTable<Windowed<K>, V> reduce(Reducer<V> reducer, Materialized<K, V, ? extends StateStore> materialized) {
        return reduce(reducer, null, materialized);
    }

    /** As Kafka's: the initial aggregate is null, so a session's first value stands as it is. */
    @Override
    public KTable<Windowed<K>, V> reduce(
            Reducer<V> reducer, Named named, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(reducer, "reducer");
        return build(
                () -> null,
                (k, v, agg) -> agg == null ? v : reducer.apply(agg, v),
                (k, a, b) -> a == null ? b : b == null ? a : reducer.apply(a, b),
                named,
                materialized,
                grouped.stream().valueSerde());
    }

    @Override
    public <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Merger<? super K, VR> sessionMerger) {
        return aggregate(initializer, aggregator, sessionMerger, null, null);
    }

    @Override
    public <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Merger<? super K, VR> sessionMerger,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return aggregate(initializer, aggregator, sessionMerger, null, materialized);
    }

    @Override
    public <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Merger<? super K, VR> sessionMerger,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized) {
        Objects.requireNonNull(initializer, "initializer");
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(sessionMerger, "sessionMerger");
        return build(initializer, aggregator, sessionMerger, named, materialized, null);
    }

    private <VA> KTable<Windowed<K>, VA> build(
            Initializer<VA> initializer,
            Aggregator<? super K, ? super V, VA> aggregator,
            Merger<? super K, VA> merger,
            Named named,
            Materialized<K, VA, ?> materialized,
            Serde<VA> defaultValueSerde) {
        KStreamImpl<K, V> stream = grouped.stream();
        InternalStreamsBuilder builder = stream.builder();
        String storeName = MaterializedInternal.storeName(materialized, builder, "KSTREAM-AGGREGATE-STATE-STORE-");
        String name = builder.name(named, "KSTREAM-AGGREGATE-");
        String parent = grouped.aggregationParent(storeName);
        ProcessorSupplier<K, V, Windowed<K>, Change<VA>> aggregate =
                () -> new KStreamSessionWindowAggregate<>(name, storeName, windows, initializer, aggregator, merger);
        builder.topology().addProcessor(name, aggregate, parent);
        Serde<K> keySerde = MaterializedInternal.keySerde(materialized, stream.keySerde());
        Serde<VA> valueSerde = MaterializedInternal.valueSerde(materialized, defaultValueSerde);
        var store = MaterializedInternal.sessionStoreBuilder(
                materialized, storeName, windows.inactivityGap(), windows.gracePeriodMs(), keySerde, valueSerde);
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(
                        builder,
                        name,
                        keySerde == null ? null : new WindowedSerdes.SessionWindowedSerde<>(keySerde),
                        valueSerde,
                        MaterializedInternal.queryable(materialized) ? storeName : null,
                        getters(storeName))
                .windowed(WindowedOrigin.session(windows.inactivityGap() + windows.gracePeriodMs()));
    }

    /** Reads a session's current aggregate from the store, stamped with the session's end. */
    static <K, VA> KTableValueGetter.Supplier<Windowed<K>, VA> getters(String storeName) {
        return new KTableValueGetter.Supplier<>() {
            @Override
            public KTableValueGetter<Windowed<K>, VA> get() {
                return new KTableValueGetter<>() {
                    private SessionStore<K, VA> store;

                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        store = context.getStateStore(storeName);
                    }

                    @Override
                    public ValueAndTimestamp<VA> get(Windowed<K> key) {
                        VA value = store.fetchSession(
                                key.key(), key.window().start(), key.window().end());
                        return value == null
                                ? null
                                : ValueAndTimestamp.make(value, key.window().end());
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
