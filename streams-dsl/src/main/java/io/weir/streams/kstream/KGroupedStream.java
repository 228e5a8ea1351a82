package io.weir.streams.kstream;

import io.weir.streams.processor.StateStore;

/**
 * A stream grouped by key, ready to aggregate, as Kafka Streams' {@code KGroupedStream}. Each aggregation keeps
 * one value per key in a store and emits the table of those values; records with a null key or value are skipped.
 * If the key changed since the source, the stream first goes through a repartition topic, so that each key's
 * records meet in one task.
 */
public interface KGroupedStream<K, V> {

    /** How many records each key had. */
    KTable<K, Long> count();

    KTable<K, Long> count(Named named);

    KTable<K, Long> count(Materialized<K, Long, ? extends StateStore> materialized);

    KTable<K, Long> count(Named named, Materialized<K, Long, ? extends StateStore> materialized);

    /** Each key's values combined, the first one as it is. */
    KTable<K, V> reduce(Reducer<V> reducer);

    KTable<K, V> reduce(Reducer<V> reducer, Materialized<K, V, ? extends StateStore> materialized);

    KTable<K, V> reduce(Reducer<V> reducer, Named named, Materialized<K, V, ? extends StateStore> materialized);

    /** Each key's values folded into an aggregate that starts from {@code initializer}. */
    <VR> KTable<K, VR> aggregate(Initializer<VR> initializer, Aggregator<? super K, ? super V, VR> aggregator);

    <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR> KTable<K, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized);

    /** Aggregate by key and time window: tumbling or hopping {@link TimeWindows}. */
    TimeWindowedKStream<K, V> windowedBy(TimeWindows windows);

    /**
     * Aggregate by key over {@link SlidingWindows}: the windows a record's timestamp defines, each emitted with the
     * records it holds (keyed by a {@code TimeWindow} whose end, unlike a time window's, is inclusive).
     */
    TimeWindowedKStream<K, V> windowedBy(SlidingWindows windows);

    /** Aggregate by key and session. */
    SessionWindowedKStream<K, V> windowedBy(SessionWindows windows);
}
