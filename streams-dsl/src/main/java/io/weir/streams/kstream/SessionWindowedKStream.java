package io.weir.streams.kstream;

import io.weir.streams.processor.StateStore;

/**
 * A grouped stream windowed by {@link SessionWindows}, ready to aggregate per key and session, as Kafka Streams'
 * {@code SessionWindowedKStream}. A record that falls within the gap of existing sessions merges them (their
 * aggregates combined by the {@link Merger}); the table emits the removed sessions as deletes and the merged one as
 * an update. A record whose session would end before stream time minus the gap and the grace is dropped and counted.
 */
public interface SessionWindowedKStream<K, V> {

    KTable<Windowed<K>, Long> count();

    KTable<Windowed<K>, Long> count(Named named);

    KTable<Windowed<K>, Long> count(Materialized<K, Long, ? extends StateStore> materialized);

    KTable<Windowed<K>, Long> count(Named named, Materialized<K, Long, ? extends StateStore> materialized);

    KTable<Windowed<K>, V> reduce(Reducer<V> reducer);

    KTable<Windowed<K>, V> reduce(Reducer<V> reducer, Materialized<K, V, ? extends StateStore> materialized);

    KTable<Windowed<K>, V> reduce(
            Reducer<V> reducer, Named named, Materialized<K, V, ? extends StateStore> materialized);

    <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Merger<? super K, VR> sessionMerger);

    <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Merger<? super K, VR> sessionMerger,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Merger<? super K, VR> sessionMerger,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized);
}
