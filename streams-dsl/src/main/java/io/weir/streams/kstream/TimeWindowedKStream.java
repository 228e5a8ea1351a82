package io.weir.streams.kstream;

import io.weir.streams.processor.StateStore;

/**
 * A grouped stream windowed by {@link TimeWindows}, ready to aggregate per key and window, as Kafka Streams'
 * {@code TimeWindowedKStream}. Each aggregation keeps its windows in a window store (retention: the window size plus
 * the grace period, or {@link Materialized#withRetention}) and emits the table of them, keyed by {@link Windowed}.
 * A record whose window has closed — stream time at or past the window's end plus the grace — is dropped and counted
 * in the task's dropped records; records with a null key or value are dropped too.
 */
public interface TimeWindowedKStream<K, V> {

    KTable<Windowed<K>, Long> count();

    KTable<Windowed<K>, Long> count(Named named);

    KTable<Windowed<K>, Long> count(Materialized<K, Long, ? extends StateStore> materialized);

    KTable<Windowed<K>, Long> count(Named named, Materialized<K, Long, ? extends StateStore> materialized);

    KTable<Windowed<K>, V> reduce(Reducer<V> reducer);

    KTable<Windowed<K>, V> reduce(Reducer<V> reducer, Materialized<K, V, ? extends StateStore> materialized);

    KTable<Windowed<K>, V> reduce(
            Reducer<V> reducer, Named named, Materialized<K, V, ? extends StateStore> materialized);

    <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer, Aggregator<? super K, ? super V, VR> aggregator);

    <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR> KTable<Windowed<K>, VR> aggregate(
            Initializer<VR> initializer,
            Aggregator<? super K, ? super V, VR> aggregator,
            Named named,
            Materialized<K, VR, ? extends StateStore> materialized);
}
