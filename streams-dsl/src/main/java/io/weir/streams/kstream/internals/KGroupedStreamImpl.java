package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Aggregator;
import io.weir.streams.kstream.Initializer;
import io.weir.streams.kstream.KGroupedStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Reducer;
import io.weir.streams.kstream.SessionWindowedKStream;
import io.weir.streams.kstream.SessionWindows;
import io.weir.streams.kstream.SlidingWindows;
import io.weir.streams.kstream.TimeWindowedKStream;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;

/**
 * A grouped stream: each aggregation adds its processor (after a repartition topic if the key may have changed)
 * and the timestamped store the processor keeps the aggregates in.
 */
final class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V> {
    private final KStreamImpl<K, V> stream;
    private final String groupedName;
    /** The source of the repartition topic named by {@code groupedName}, once the first aggregation made it. */
    private String sharedRepartitionSource;

    KGroupedStreamImpl(KStreamImpl<K, V> stream, String groupedName) {
        this.stream = stream;
        this.groupedName = groupedName;
    }

    @Override
    public KTable<K, Long> count() {
        return count(null, null);
    }

    @Override
    public KTable<K, Long> count(Named named) {
        return count(named, null);
    }

    @Override
    public KTable<K, Long> count(Materialized<K, Long, ? extends StateStore> materialized) {
        return count(null, materialized);
    }

    @Override
    public KTable<K, Long> count(Named named, Materialized<K, Long, ? extends StateStore> materialized) {
        return doAggregate(
                (k, v, previous) -> previous == null ? 1L : previous + 1, named, materialized, Serdes.Long());
    }

    @Override
    public KTable<K, V> reduce(Reducer<V> reducer) {
        return reduce(reducer, null, null);
    }

    @Override
    public KTable<K, V> reduce(Reducer<V> reducer, Materialized<K, V, ? extends StateStore> materialized) {
        return reduce(reducer, null, materialized);
    }

    @Override
    public KTable<K, V> reduce(Reducer<V> reducer, Named named, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(reducer, "reducer");
        return doAggregate(
                (k, v, previous) -> previous == null ? v : reducer.apply(previous, v),
                named,
                materialized,
                stream.valueSerde());
    }

    @Override
    public <VR> KTable<K, VR> aggregate(Initializer<VR> initializer, Aggregator<? super K, ? super V, VR> aggregator) {
        return aggregate(initializer, aggregator, null, null);
    }

    @Override
    public <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return aggregate(initializer, aggregator, null, materialized);
    }

    @Override
    public <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized) {
        Objects.requireNonNull(initializer, "initializer");
        Objects.requireNonNull(aggregator, "aggregator");
        return doAggregate(
                (k, v, previous) -> aggregator.apply(k, v, previous == null ? initializer.apply() : previous),
                named,
                materialized,
                null);
    }

    /**
     * The node an aggregation with store {@code storeName} reads from: the stream itself, or the repartition topic's
     * source if the key may have changed.
     */
    String aggregationParent(String storeName) {
        String parent = stream.nodeName();
        if (stream.repartitionRequired()) {
            if (groupedName != null && sharedRepartitionSource != null) {
                stream.burnRepartitionNames();
                parent = sharedRepartitionSource;
            } else {
                parent = stream.repartition(
                        groupedName != null ? groupedName : storeName, stream.keySerde(), stream.valueSerde());
                if (groupedName != null) {
                    sharedRepartitionSource = parent;
                }
            }
        }
        return parent;
    }

    KStreamImpl<K, V> stream() {
        return stream;
    }

    @Override
    public TimeWindowedKStream<K, V> windowedBy(TimeWindows windows) {
        return TimeWindowedKStreamImpl.of(this, Objects.requireNonNull(windows, "windows"));
    }

    @Override
    public TimeWindowedKStream<K, V> windowedBy(SlidingWindows windows) {
        return TimeWindowedKStreamImpl.of(this, Objects.requireNonNull(windows, "windows"));
    }

    @Override
    public SessionWindowedKStream<K, V> windowedBy(SessionWindows windows) {
        return new SessionWindowedKStreamImpl<>(this, Objects.requireNonNull(windows, "windows"));
    }

    @SuppressWarnings("unchecked")
    private <VA> KTable<K, VA> doAggregate(
            KStreamAggregate.Step<K, V, VA> step,
            Named named,
            Materialized<K, VA, ?> materialized,
            Serde<VA> defaultValueSerde) {
        InternalStreamsBuilder builder = stream.builder();
        // Kafka Streams' order: the store's name, the aggregate's, then the repartition, which every aggregation of
        // a grouping named by Grouped.as shares (the unnamed ones make their own, named after their stores).
        String storeName = MaterializedInternal.storeName(materialized, builder, "KSTREAM-AGGREGATE-STATE-STORE-");
        String name = builder.name(named, "KSTREAM-AGGREGATE-");
        String parent = aggregationParent(storeName);
        ProcessorSupplier<K, V, K, Change<VA>> aggregate = () -> new KStreamAggregate<>(name, storeName, step);
        builder.topology().addProcessor(name, aggregate, parent);
        Serde<VA> valueSerde = MaterializedInternal.valueSerde(materialized, defaultValueSerde);
        var store = MaterializedInternal.storeBuilder(
                materialized, storeName, MaterializedInternal.keySerde(materialized, stream.keySerde()), valueSerde);
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(
                builder, name, stream.keySerde(), valueSerde, storeName, MaterializedInternal.queryable(materialized));
    }
}
