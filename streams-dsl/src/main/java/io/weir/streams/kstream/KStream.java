package io.weir.streams.kstream;

import io.weir.streams.KeyValue;
import io.weir.streams.processor.TopicNameExtractor;
import io.weir.streams.processor.api.FixedKeyProcessorSupplier;
import io.weir.streams.processor.api.ProcessorSupplier;

/**
 * An unbounded stream of key-value records, as Kafka Streams' {@code KStream}. Each operator adds a processor to
 * the topology and returns the stream of its results; nothing runs until the topology does. An operator that may
 * change the key ({@code map}, {@code flatMap}, {@code selectKey}) marks the stream so that a later grouping or join
 * repartitions it.
 */
public interface KStream<K, V> {

    /** The records for which {@code predicate} holds. */
    KStream<K, V> filter(Predicate<? super K, ? super V> predicate);

    KStream<K, V> filter(Predicate<? super K, ? super V> predicate, Named named);

    /** The records for which {@code predicate} does not hold. */
    KStream<K, V> filterNot(Predicate<? super K, ? super V> predicate);

    KStream<K, V> filterNot(Predicate<? super K, ? super V> predicate, Named named);

    /** A new key and value for each record. */
    <KR, VR> KStream<KR, VR> map(
            KeyValueMapper<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper);

    <KR, VR> KStream<KR, VR> map(
            KeyValueMapper<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper, Named named);

    /** A new value for each record; the key stays, so no repartition follows. */
    <VR> KStream<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper);

    <VR> KStream<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper, Named named);

    <VR> KStream<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper);

    <VR> KStream<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper, Named named);

    /** Zero or more records for each record. */
    <KR, VR> KStream<KR, VR> flatMap(
            KeyValueMapper<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>>
                    mapper);

    <KR, VR> KStream<KR, VR> flatMap(
            KeyValueMapper<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>>
                    mapper,
            Named named);

    /** Zero or more values for each record, each with the record's key. */
    <VR> KStream<K, VR> flatMapValues(ValueMapper<? super V, ? extends Iterable<? extends VR>> mapper);

    <VR> KStream<K, VR> flatMapValues(ValueMapper<? super V, ? extends Iterable<? extends VR>> mapper, Named named);

    <VR> KStream<K, VR> flatMapValues(
            ValueMapperWithKey<? super K, ? super V, ? extends Iterable<? extends VR>> mapper);

    <VR> KStream<K, VR> flatMapValues(
            ValueMapperWithKey<? super K, ? super V, ? extends Iterable<? extends VR>> mapper, Named named);

    /** A new key for each record, the value unchanged. */
    <KR> KStream<KR, V> selectKey(KeyValueMapper<? super K, ? super V, ? extends KR> mapper);

    <KR> KStream<KR, V> selectKey(KeyValueMapper<? super K, ? super V, ? extends KR> mapper, Named named);

    /** Calls {@code action} for each record and passes the record on unchanged. */
    KStream<K, V> peek(ForeachAction<? super K, ? super V> action);

    KStream<K, V> peek(ForeachAction<? super K, ? super V> action, Named named);

    /** Calls {@code action} for each record; the end of this branch of the topology. */
    void foreach(ForeachAction<? super K, ? super V> action);

    void foreach(ForeachAction<? super K, ? super V> action, Named named);

    /** This stream's records and {@code other}'s, interleaved as they arrive. */
    KStream<K, V> merge(KStream<K, V> other);

    KStream<K, V> merge(KStream<K, V> other, Named named);

    /** Splits the stream by predicates; see {@link BranchedKStream}. */
    BranchedKStream<K, V> split();

    /** As {@link #split()}, with {@code named} as the prefix of the branches' names. */
    BranchedKStream<K, V> split(Named named);

    /** Writes every record to {@code topic}, with the stream's serdes (or the application's defaults). */
    void to(String topic);

    void to(String topic, Produced<K, V> produced);

    /** Writes each record to the topic {@code extractor} chooses. */
    void to(TopicNameExtractor<K, V> extractor);

    void to(TopicNameExtractor<K, V> extractor, Produced<K, V> produced);

    /**
     * Sends every record through the internal topic {@code <application.id>-<name>-repartition} (a generated name
     * unless {@link Repartitioned#as} names it), so that it reaches the partition of its key; a later grouping or
     * join needs no repartition of its own.
     */
    KStream<K, V> repartition();

    KStream<K, V> repartition(Repartitioned<K, V> repartitioned);

    /** Groups the records by their key, to aggregate; repartitions first if the key may have changed. */
    KGroupedStream<K, V> groupByKey();

    KGroupedStream<K, V> groupByKey(Grouped<K, V> grouped);

    /** Groups the records by a new key, through a repartition topic. */
    <KR> KGroupedStream<KR, V> groupBy(KeyValueMapper<? super K, ? super V, KR> keySelector);

    <KR> KGroupedStream<KR, V> groupBy(KeyValueMapper<? super K, ? super V, KR> keySelector, Grouped<KR, V> grouped);

    /**
     * Each record joined with the table's current value for its key (at the time the record is processed); a record
     * whose key the table lacks is dropped. The stream is repartitioned first if its key may have changed; the two
     * must be co-partitioned.
     */
    <VT, VR> KStream<K, VR> join(KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner);

    <VT, VR> KStream<K, VR> join(
            KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined);

    /** As {@link #join(KTable, ValueJoiner)}, but a record whose key the table lacks is joined with null. */
    <VT, VR> KStream<K, VR> leftJoin(KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner);

    <VT, VR> KStream<K, VR> leftJoin(
            KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined);

    /**
     * Each record joined with the global table's value of the key {@code keySelector} picks from it, as Kafka Streams
     * does: a lookup in this instance's copy of the whole table when the record is processed, with no repartition
     * and no co-partitioning. A record whose selected key is null, whose value is null, or whose selected key the
     * table lacks is dropped.
     */
    <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner);

    <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner);

    <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner,
            Named named);

    <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner,
            Named named);

    /**
     * As {@link #join(GlobalKTable, KeyValueMapper, ValueJoiner)}, but a record the table has no row for is joined
     * with null. As in Kafka Streams 3.7+, a record with a null key (and a value) is joined too: the selector is
     * given the null key, and a null selected key then joins null. A record with a key whose selected key is null is
     * dropped, as is one with a null value.
     */
    <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner);

    <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner);

    <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner,
            Named named);

    <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner,
            Named named);

    /**
     * Each record joined with every record of {@code otherStream} with the same key whose timestamp lies within
     * {@code windows} of its own ({@code [t - before, t + after]}), emitted as soon as the later of the two arrives, with
     * the larger timestamp. Both streams keep their records in window stores until the window and grace have passed;
     * a record arriving after its window closed (by the join's stream time, the newest timestamp it has seen) is
     * dropped and counted. A side whose key may have changed is repartitioned first; the two must be co-partitioned.
     */
    default <VO, VR> KStream<K, VR> join(
            KStream<K, VO> otherStream, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows) {
        return join(otherStream, joiner, windows, StreamJoined.with(null, null, null));
    }

    default <VO, VR> KStream<K, VR> join(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows) {
        return join(otherStream, joiner, windows, StreamJoined.with(null, null, null));
    }

    default <VO, VR> KStream<K, VR> join(
            KStream<K, VO> otherStream,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined) {
        return join(otherStream, withKey(joiner), windows, streamJoined);
    }

    <VO, VR> KStream<K, VR> join(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined);

    /**
     * As {@link #join(KStream, ValueJoiner, JoinWindows)}, and a record of this stream that found no match is joined
     * with null once its window has closed (stream time past {@code t + after + grace}), and never if a match arrived
     * in time. Until then it waits in a shared, changelogged store ordered by time. A record with a null key is joined
     * with null at once.
     */
    default <VO, VR> KStream<K, VR> leftJoin(
            KStream<K, VO> otherStream, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows) {
        return leftJoin(otherStream, joiner, windows, StreamJoined.with(null, null, null));
    }

    default <VO, VR> KStream<K, VR> leftJoin(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows) {
        return leftJoin(otherStream, joiner, windows, StreamJoined.with(null, null, null));
    }

    default <VO, VR> KStream<K, VR> leftJoin(
            KStream<K, VO> otherStream,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined) {
        return leftJoin(otherStream, withKey(joiner), windows, streamJoined);
    }

    <VO, VR> KStream<K, VR> leftJoin(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined);

    /**
     * As {@link #leftJoin(KStream, ValueJoiner, JoinWindows)}, on both sides: a record of the other stream that found
     * no match is joined as {@code (null, value)} once its window ({@code [t - after, t + before]}) has closed.
     */
    default <VO, VR> KStream<K, VR> outerJoin(
            KStream<K, VO> otherStream, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, JoinWindows windows) {
        return outerJoin(otherStream, joiner, windows, StreamJoined.with(null, null, null));
    }

    default <VO, VR> KStream<K, VR> outerJoin(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows) {
        return outerJoin(otherStream, joiner, windows, StreamJoined.with(null, null, null));
    }

    default <VO, VR> KStream<K, VR> outerJoin(
            KStream<K, VO> otherStream,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined) {
        return outerJoin(otherStream, withKey(joiner), windows, streamJoined);
    }

    <VO, VR> KStream<K, VR> outerJoin(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined);

    private static <K, V, VO, VR> ValueJoinerWithKey<K, V, VO, VR> withKey(
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        java.util.Objects.requireNonNull(joiner, "joiner");
        return (key, value, other) -> joiner.apply(value, other);
    }

    /** The stream read as a table: each record the latest value of its key, a null value a delete. */
    KTable<K, V> toTable();

    KTable<K, V> toTable(Named named, Materialized<K, V, ? extends io.weir.streams.processor.StateStore> materialized);

    /**
     * Runs a Processor API processor on each record; what it forwards is the returned stream. Any key may be
     * forwarded, so a later grouping repartitions.
     */
    <KOut, VOut> KStream<KOut, VOut> process(ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier);

    <KOut, VOut> KStream<KOut, VOut> process(ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, Named named);

    /**
     * Runs a fixed-key processor on each record: it may change values, never keys, so no repartition follows (as
     * {@link #mapValues} rather than {@link #map}). The named stores are connected to it.
     */
    <VOut> KStream<K, VOut> processValues(
            FixedKeyProcessorSupplier<? super K, ? super V, VOut> supplier, String... stateStoreNames);

    <VOut> KStream<K, VOut> processValues(
            FixedKeyProcessorSupplier<? super K, ? super V, VOut> supplier, Named named, String... stateStoreNames);

    /** As {@link #process(ProcessorSupplier)}, with the named stores connected to the processor. */
    <KOut, VOut> KStream<KOut, VOut> process(
            ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, Named named, String... stateStoreNames);
}
