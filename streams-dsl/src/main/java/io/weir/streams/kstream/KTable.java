package io.weir.streams.kstream;

import io.weir.streams.KeyValue;
import io.weir.streams.processor.StateStore;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A changelog stream read as a table: the latest value of each key, as Kafka Streams' {@code KTable}. Its
 * operators see each update with the value it replaced, so a key that stops passing a filter is deleted
 * downstream rather than left stale.
 */
public interface KTable<K, V> {

    /** The entries for which {@code predicate} holds; a key that stops passing is deleted (a null value). */
    KTable<K, V> filter(Predicate<? super K, ? super V> predicate);

    KTable<K, V> filter(Predicate<? super K, ? super V> predicate, Named named);

    KTable<K, V> filterNot(Predicate<? super K, ? super V> predicate);

    KTable<K, V> filterNot(Predicate<? super K, ? super V> predicate, Named named);

    <VR> KTable<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper);

    <VR> KTable<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper, Named named);

    <VR> KTable<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper);

    <VR> KTable<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper, Named named);

    /** Every update as a record; a deleted key as a null value (a tombstone). */
    KStream<K, V> toStream();

    KStream<K, V> toStream(Named named);

    /**
     * The table of both tables' values joined, for keys both have; it changes whenever either side does, with the
     * other side's current value.
     */
    <VO, VR> KTable<K, VR> join(KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    <VO, VR> KTable<K, VR> join(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, Named named);

    /** As {@link #join(KTable, ValueJoiner)}, for every key of this table; the other's value may be null. */
    <VO, VR> KTable<K, VR> leftJoin(KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    <VO, VR> KTable<K, VR> leftJoin(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, Named named);

    /** As {@link #join(KTable, ValueJoiner)}, for every key of either table; either value may be null. */
    <VO, VR> KTable<K, VR> outerJoin(KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    <VO, VR> KTable<K, VR> outerJoin(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, Named named);

    /**
     * The foreign-key join (KIP-213): each row of this table joined with the row of {@code other} whose key
     * {@code foreignKeyExtractor} takes from the row's value, for rows whose foreign key {@code other} has. The result
     * is keyed as this table and changes whenever either row does: a change of the other table's row reaches every row
     * of this table that refers to it; a row that moves to another foreign key is joined anew (or deleted, if the new
     * one is missing). The tables need not be co-partitioned: the join sends its subscriptions and answers through two
     * internal topics. A row whose foreign key is null has no result.
     */
    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    /** As {@link #join(KTable, Function, ValueJoiner)}, with the partitioners and name of {@code tableJoined}. */
    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined);

    /** As {@link #join(KTable, Function, ValueJoiner)}, kept in the store {@code materialized} describes. */
    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized);

    /** As {@link #join(KTable, Function, ValueJoiner)}, with a foreign key taken from the row's key and value. */
    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined);

    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized);

    /**
     * As {@link #join(KTable, Function, ValueJoiner)}, for every row of this table: a row whose foreign key is null
     * or missing from {@code other} is joined with null.
     */
    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized);

    <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized);

    /**
     * This table regrouped by the key {@code selector} gives each row, for aggregation. Every update maps the row's
     * old and new values through {@code selector}; a null key leaves the row out of every group.
     */
    <KR, VR> KGroupedTable<KR, VR> groupBy(KeyValueMapper<? super K, ? super V, KeyValue<KR, VR>> selector);

    /** As {@link #groupBy(KeyValueMapper)}, with {@code grouped}'s serdes and name (of the repartition topic). */
    <KR, VR> KGroupedTable<KR, VR> groupBy(
            KeyValueMapper<? super K, ? super V, KeyValue<KR, VR>> selector, Grouped<KR, VR> grouped);

    /**
     * This table with its updates held back as {@code suppressed} says: until each window closes (final results, for
     * tables of windowed aggregations) or for a time limit per key. The buffer is a store, backed by a changelog topic
     * unless disabled, named {@code <name>-store} (or {@code KTABLE-SUPPRESS-STATE-STORE-<n>}).
     *
     * @throws io.weir.streams.errors.TopologyException if {@code untilWindowCloses} is asked of a table that does not
     *     come from a windowed aggregation
     */
    KTable<K, V> suppress(Suppressed<? super K> suppressed);

    /**
     * The name of the store that holds this table, or null when the store is not queryable: as in Kafka Streams, only
     * a store the user named ({@code Materialized.as}) is; a table not materialized, or materialized under a
     * generated name, answers null.
     */
    String queryableStoreName();
}
