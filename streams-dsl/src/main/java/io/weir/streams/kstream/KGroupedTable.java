package io.weir.streams.kstream;

import io.weir.streams.processor.StateStore;

/**
 * A table regrouped by a new key, ready to aggregate, as Kafka Streams' {@code KGroupedTable}. Each update of the
 * source table takes its old row out of the aggregate of the group it was in (the subtractor) and puts its new row
 * into the aggregate of the group it is in now (the adder); both go through a repartition topic, so that each group's
 * rows meet in one task. A group whose rows all left keeps its last aggregate (a count of 0, say).
 */
public interface KGroupedTable<K, V> {

    /** How many rows of the source table each group has. */
    KTable<K, Long> count();

    KTable<K, Long> count(Named named);

    KTable<K, Long> count(Materialized<K, Long, ? extends StateStore> materialized);

    KTable<K, Long> count(Named named, Materialized<K, Long, ? extends StateStore> materialized);

    /**
     * Each group's rows combined by {@code adder}, the first one as it is; a row that leaves is taken out with
     * {@code subtractor}, applied before {@code adder} when an update stays in its group.
     */
    KTable<K, V> reduce(Reducer<V> adder, Reducer<V> subtractor);

    KTable<K, V> reduce(Reducer<V> adder, Reducer<V> subtractor, Materialized<K, V, ? extends StateStore> materialized);

    KTable<K, V> reduce(
            Reducer<V> adder,
            Reducer<V> subtractor,
            Named named,
            Materialized<K, V, ? extends StateStore> materialized);

    /**
     * Each group's rows folded by {@code adder} into an aggregate that starts from {@code initializer}; a row that
     * leaves is taken out with {@code subtractor}, applied before {@code adder} when an update stays in its group.
     */
    <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor);

    <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor,
            Named named);

    <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> adder,
            Aggregator<? super K, ? super V, VR> subtractor,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized);
}
