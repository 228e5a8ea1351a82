package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Aggregator;
import io.weir.streams.kstream.Initializer;
import io.weir.streams.kstream.KGroupedTable;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Reducer;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;

/**
 * A regrouped table: {@code selectNode} forwards, under the new keys, {@link Change}s whose new value is to be added
 * and whose old value is to be subtracted. Each aggregation sends them through its own repartition topic, always (as
 * Kafka Streams does: the new key is the user's), with {@link ChangeSerde} telling the halves apart, then keeps the
 * aggregates in a timestamped store. Named as Kafka Streams names it: the topic is {@code <Grouped name or store
 * name>-repartition}; the sink, source and aggregate take the {@code Named} name (with {@code -sink},
 * {@code -source}) or generated ones.
 */
final class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
    private final InternalStreamsBuilder builder;
    private final String selectNode;
    private final String groupedName;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;

    KGroupedTableImpl(
            InternalStreamsBuilder builder,
            String selectNode,
            String groupedName,
            Serde<K> keySerde,
            Serde<V> valueSerde) {
        this.builder = builder;
        this.selectNode = selectNode;
        this.groupedName = groupedName;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
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
                (k, v, count) -> count - 1,
                (k, v, count) -> count == null ? 1L : count + 1,
                "KTABLE-AGGREGATE-",
                named,
                materialized,
                Serdes.Long());
    }

    @Override
    public KTable<K, V> reduce(Reducer<V> adder, Reducer<V> subtractor) {
        return reduce(adder, subtractor, null, null);
    }

    @Override
    public KTable<K, V> reduce(
            Reducer<V> adder, Reducer<V> subtractor, Materialized<K, V, ? extends StateStore> materialized) {
        return reduce(adder, subtractor, null, materialized);
    }

    @Override
    public KTable<K, V> reduce(
            Reducer<V> adder,
            Reducer<V> subtractor,
            Named named,
            Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(adder, "adder");
        Objects.requireNonNull(subtractor, "subtractor");
        return doAggregate(
                (k, v, aggregate) -> subtractor.apply(aggregate, v),
                (k, v, aggregate) -> aggregate == null ? v : adder.apply(aggregate, v),
                "KTABLE-REDUCE-",
                named,
                materialized,
                valueSerde);
    }

    @Override
    public <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor) {
        return aggregate(initializer, adder, subtractor, null, null);
    }

    @Override
    public <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor,
            Named named) {
        return aggregate(initializer, adder, subtractor, named, null);
    }

    @Override
    public <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return aggregate(initializer, adder, subtractor, null, materialized);
    }

    @Override
    public <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized) {
        Objects.requireNonNull(initializer, "initializer");
        Objects.requireNonNull(adder, "adder");
        Objects.requireNonNull(subtractor, "subtractor");
        return doAggregate(
                subtractor::apply,
                (k, v, aggregate) -> adder.apply(k, v, aggregate == null ? initializer.apply() : aggregate),
                "KTABLE-AGGREGATE-",
                named,
                materialized,
                null);
    }

    @SuppressWarnings("unchecked")
    private <VA> KTable<K, VA> doAggregate(
            KTableAggregate.Subtract<K, V, VA> subtract,
            KTableAggregate.Add<K, V, VA> add,
            String prefix,
            Named named,
            Materialized<K, VA, ?> materialized,
            Serde<VA> defaultValueSerde) {
        // Kafka Streams' order: the store's name, then the sink's, the source's and the aggregate's.
        String storeName = MaterializedInternal.storeName(materialized, builder, prefix + "STATE-STORE-");
        String base = named != null && named.name() != null ? named.name() : null;
        String sink = base != null ? base + "-sink" : builder.newName("KSTREAM-SINK-");
        String source = base != null ? base + "-source" : builder.newName("KSTREAM-SOURCE-");
        String name = builder.name(named, prefix);
        String topic = (groupedName != null ? groupedName : storeName) + "-repartition";
        ChangeSerde<V> changes = new ChangeSerde<>(valueSerde);
        builder.topology().markInternal(topic);
        builder.topology()
                .addSink(
                        sink,
                        topic,
                        null,
                        keySerde == null ? null : keySerde.serializer(),
                        changes.serializer(),
                        selectNode);
        builder.topology()
                .addSource(
                        source,
                        keySerde == null ? null : keySerde.deserializer(),
                        changes.deserializer(),
                        java.util.List.of(topic));
        ProcessorSupplier<K, Change<V>, K, Change<VA>> aggregate =
                () -> new KTableAggregate<>(storeName, subtract, add);
        builder.topology().addProcessor(name, aggregate, source);
        Serde<K> keys = MaterializedInternal.keySerde(materialized, keySerde);
        Serde<VA> values = MaterializedInternal.valueSerde(materialized, defaultValueSerde);
        var store = MaterializedInternal.storeBuilder(materialized, storeName, keys, values);
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(builder, name, keys, values, storeName, MaterializedInternal.queryable(materialized));
    }
}
