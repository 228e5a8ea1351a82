package io.weir.streams.randomtopology;

import io.weir.streams.randomtopology.Ops.Fan;
import io.weir.streams.randomtopology.Ops.JoinKind;
import io.weir.streams.randomtopology.Ops.Joiner;
import io.weir.streams.randomtopology.Ops.KeyFn;
import io.weir.streams.randomtopology.Ops.Pred;
import io.weir.streams.randomtopology.Ops.StreamAggKind;
import io.weir.streams.randomtopology.Ops.TableAggKind;
import io.weir.streams.randomtopology.Ops.ValueFn;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Random topologies and random input. Expressions are generated with placeholder names ({@code "?"}) and labelled
 * once the whole topology is known, so that every topic, store and repartition name is unique.
 */
final class TopologyArbitraries {
    private TopologyArbitraries() {}

    /** How deep an expression may nest: enough for a join of aggregates of re-keyed chains. */
    private static final int DEPTH = 4;

    private static final String PLACEHOLDER = Expr.UNNAMED;

    static Arbitrary<RandomTopology> topologies() {
        // A stream source written out as it is tests nothing the other roots do not.
        Arbitrary<Expr> root = Arbitraries.frequencyOf(
                Tuple.of(
                        2,
                        streams(DEPTH)
                                .filter(e -> !(e instanceof StreamExpr.Source))
                                .map(e -> e)),
                Tuple.of(2, tables(DEPTH, true).map(e -> e)),
                Tuple.of(1, windowed(DEPTH).map(e -> e)));
        return root.list().ofMinSize(1).ofMaxSize(3).map(RandomTopology::labelled);
    }

    /** Up to 300 input records: mostly few topics, six keys, small values, one table record in seven a tombstone. */
    static Arbitrary<List<Input.Event>> events() {
        Arbitrary<Boolean> tombstone = Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true));
        Arbitrary<Input.Event> event = Combinators.combine(
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, Input.KEYS - 1),
                        Arbitraries.longs().between(0, 20),
                        tombstone,
                        Arbitraries.integers().between(0, 999))
                .as((toTable, slot, key, value, delete, time) ->
                        new Input.Event(toTable, slot, key, toTable && delete ? null : value, time));
        return event.list().ofMaxSize(300).withSizeDistribution(RandomDistribution.uniform());
    }

    static Arbitrary<StreamExpr> streams(int depth) {
        Arbitrary<StreamExpr> source = shared().map(shared -> new StreamExpr.Source(PLACEHOLDER, shared));
        if (depth == 0) {
            return source;
        }
        Arbitrary<StreamExpr> in = Arbitraries.lazy(() -> streams(depth - 1));
        Arbitrary<TableExpr> streamFreeTable = Arbitraries.lazy(() -> tables(depth - 1, false));
        return Arbitraries.frequencyOf(
                Tuple.of(2, source),
                Tuple.of(2, Combinators.combine(in, Arbitraries.of(Pred.class)).as(StreamExpr.Filter::new)),
                Tuple.of(
                        2,
                        Combinators.combine(in, Arbitraries.of(ValueFn.class)).as(StreamExpr.MapValues::new)),
                Tuple.of(2, Combinators.combine(in, Arbitraries.of(KeyFn.class)).as(StreamExpr.SelectKey::new)),
                Tuple.of(
                        1,
                        Combinators.combine(in, Arbitraries.of(KeyFn.class), Arbitraries.of(ValueFn.class))
                                .as(StreamExpr.MapKeyAndValue::new)),
                Tuple.of(2, Combinators.combine(in, Arbitraries.of(Fan.class)).as(StreamExpr.FlatMapValues::new)),
                Tuple.of(
                        2,
                        Combinators.combine(
                                        in,
                                        streamFreeTable,
                                        Arbitraries.of(JoinKind.INNER, JoinKind.LEFT),
                                        Arbitraries.of(Joiner.class))
                                .as(StreamExpr.JoinTable::new)),
                Tuple.of(1, StreamJoins.joins(in)));
    }

    /**
     * A windowed aggregation of a stream: tumbling, hopping or session windows of a few tens of milliseconds (the
     * input's times span a second, so windows fill and close), with a grace of 0, a little, or about a window, so
     * that out-of-order records land on both sides of the grace boundary.
     */
    static Arbitrary<WindowedExpr> windowed(int depth) {
        Arbitrary<Long> grace = Arbitraries.of(0L, 1L, 10L, 20L, 50L, 200L);
        Arbitrary<WindowedExpr.Windowing> tumbling = Combinators.combine(Arbitraries.of(20L, 50L, 100L), grace)
                .as((size, g) -> new WindowedExpr.Windowing(false, size, size, g));
        Arbitrary<WindowedExpr.Windowing> hopping = Combinators.combine(
                        Arbitraries.of(40L, 100L), Arbitraries.of(2L, 4L), grace)
                .as((size, hops, g) -> new WindowedExpr.Windowing(false, size, size / hops, g));
        Arbitrary<WindowedExpr.Windowing> sessions = Combinators.combine(Arbitraries.of(5L, 10L, 30L, 100L), grace)
                .as((gap, g) -> new WindowedExpr.Windowing(true, gap, 0, g));
        return Combinators.combine(
                        streams(depth - 1),
                        Arbitraries.of(1L, 10L),
                        Arbitraries.oneOf(tumbling, hopping, sessions),
                        Arbitraries.of(StreamAggKind.class),
                        stores())
                .as(WindowedExpr::of);
    }

    /** Tables; {@code mayReadStreams} false for the table side of a stream-table join. */
    static Arbitrary<TableExpr> tables(int depth, boolean mayReadStreams) {
        Arbitrary<TableExpr> source = Combinators.combine(stores(), shared())
                .as((store, shared) -> new TableExpr.Source(PLACEHOLDER, store, shared));
        if (depth == 0) {
            return source;
        }
        Arbitrary<TableExpr> in = Arbitraries.lazy(() -> tables(depth - 1, mayReadStreams));
        Arbitrary<TableExpr> filter =
                Combinators.combine(in, Arbitraries.of(Pred.class)).as(TableExpr.Filter::new);
        Arbitrary<TableExpr> mapValues =
                Combinators.combine(in, Arbitraries.of(ValueFn.class)).as(TableExpr.MapValues::new);
        Arbitrary<TableExpr> join = Combinators.combine(
                        in, in, Arbitraries.of(JoinKind.class), Arbitraries.of(Joiner.class))
                .as(TableExpr.Join::new);
        Arbitrary<TableExpr> foreignKeyJoin = Combinators.combine(
                        in,
                        in,
                        Arbitraries.of(KeyFn.class),
                        Arbitraries.of(JoinKind.INNER, JoinKind.LEFT),
                        Arbitraries.of(Joiner.class))
                .as(TableExpr.ForeignKeyJoin::new);
        Arbitrary<TableExpr> tableAggregate = Combinators.combine(
                        in,
                        Arbitraries.of(KeyFn.class),
                        repartitionNames(),
                        Arbitraries.of(TableAggKind.class),
                        stores())
                .as(TableExpr.TableAggregate::new);
        if (!mayReadStreams) {
            return Arbitraries.frequencyOf(
                    Tuple.of(3, source),
                    Tuple.of(1, filter),
                    Tuple.of(1, mapValues),
                    Tuple.of(2, join),
                    Tuple.of(2, foreignKeyJoin),
                    Tuple.of(3, tableAggregate));
        }
        Arbitrary<TableExpr> streamAggregate = Combinators.combine(
                        Arbitraries.lazy(() -> streams(depth - 1)),
                        groupings(),
                        Arbitraries.of(StreamAggKind.class),
                        stores())
                .as((stream, grouping, kind, store) ->
                        new TableExpr.StreamAggregate(stream, grouping, allowedKind(stream, grouping, kind), store));
        return Arbitraries.frequencyOf(
                Tuple.of(2, source),
                Tuple.of(1, filter),
                Tuple.of(1, mapValues),
                Tuple.of(2, join),
                Tuple.of(2, foreignKeyJoin),
                Tuple.of(3, tableAggregate),
                Tuple.of(3, streamAggregate));
    }

    /** {@code kind}, or its commutative counterpart where the order of a group's records is not defined. */
    private static StreamAggKind allowedKind(StreamExpr stream, TableExpr.Grouping grouping, StreamAggKind kind) {
        if (kind.commutative || TableExpr.StreamAggregate.orderDefined(stream, grouping)) {
            return kind;
        }
        return kind == StreamAggKind.LATEST ? StreamAggKind.SUM : StreamAggKind.SUM_OF_SQUARES;
    }

    private static Arbitrary<TableExpr.Grouping> groupings() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(new TableExpr.Grouping.ByKey())),
                Tuple.of(
                        2,
                        Combinators.combine(Arbitraries.of(KeyFn.class), repartitionNames())
                                .as(TableExpr.Grouping.By::new)));
    }

    /** Whether a source reuses the last one of its kind named before it: one in four does. */
    private static Arbitrary<Boolean> shared() {
        return Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true));
    }

    /** A placeholder asking for a named repartition topic, or null for a generated name. */
    private static Arbitrary<String> repartitionNames() {
        return Arbitraries.just(PLACEHOLDER).injectNull(0.5);
    }

    private static Arbitrary<StoreSpec> stores() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(true, false))
                .as((inMemory, cached) -> new StoreSpec(PLACEHOLDER, inMemory, cached));
    }
}
