package io.weir.streams.randomtopology;

import io.weir.streams.randomtopology.Ops.JoinKind;
import io.weir.streams.randomtopology.Ops.Joiner;
import io.weir.streams.randomtopology.Ops.KeyFn;
import io.weir.streams.randomtopology.Ops.Pred;
import io.weir.streams.randomtopology.Ops.StreamAggKind;
import io.weir.streams.randomtopology.Ops.TableAggKind;
import io.weir.streams.randomtopology.Ops.ValueFn;
import java.util.Collections;
import java.util.List;

/**
 * A {@code KTable<String, Long>} of a random topology. Each record prints as the DSL calls that build it, so a shrunk
 * counterexample reads as code.
 */
sealed interface TableExpr extends Expr {

    /** Whether the table's rows depend on some stream topic's records (it contains a stream aggregation). */
    default boolean readsStreams() {
        return walk().anyMatch(e -> e instanceof StreamAggregate);
    }

    /** A copy with fresh topic, store and repartition names. */
    TableExpr named(Namer namer);

    /**
     * {@code builder.table(topic, Materialized.as(store))}; a shared source is the same {@code KTable} as the last
     * source table built before it (so its changes fan out to several operators) and prints as that table's topic.
     */
    record Source(String topic, StoreSpec store, boolean shared) implements TableExpr {
        @Override
        public List<Expr> children() {
            return List.of();
        }

        @Override
        public TableExpr named(Namer namer) {
            Source last = namer.lastTableSource();
            if (shared && last != null) {
                return new Source(last.topic(), last.store(), true);
            }
            Source fresh = new Source(namer.tableTopic(), store.named(namer), false);
            namer.tableSourceNamed(fresh);
            return fresh;
        }

        @Override
        public String toString() {
            return shared ? topic : "builder.table(\"" + topic + "\", " + store + ")";
        }
    }

    record Filter(TableExpr in, Pred pred) implements TableExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public TableExpr named(Namer namer) {
            return new Filter(in.named(namer), pred);
        }

        @Override
        public String toString() {
            return in + ".filter(" + pred + ")";
        }
    }

    record MapValues(TableExpr in, ValueFn fn) implements TableExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public TableExpr named(Namer namer) {
            return new MapValues(in.named(namer), fn);
        }

        @Override
        public String toString() {
            return in + ".mapValues(" + fn + ")";
        }
    }

    /**
     * A table-table join, left join or outer join of tables that read no common topic. If one input record updated
     * both sides before either side's join processor ran (a self-join, say), each would compute the join's old value
     * with the other side's new value, as Kafka Streams does: an old value never emitted, which an aggregation
     * downstream would subtract.
     */
    record Join(TableExpr left, TableExpr right, JoinKind kind, Joiner joiner) implements TableExpr {
        public Join {
            if (!Collections.disjoint(left.topics(), right.topics())) {
                throw new IllegalArgumentException("both sides of a join read a common topic: " + left + ", " + right);
            }
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public TableExpr named(Namer namer) {
            TableExpr namedLeft = left.named(namer);
            return new Join(namedLeft, namer.excluding(namedLeft.topics(), () -> right.named(namer)), kind, joiner);
        }

        @Override
        public String toString() {
            String call =
                    switch (kind) {
                        case INNER -> ".join(";
                        case LEFT -> ".leftJoin(";
                        case OUTER -> ".outerJoin(";
                    };
            return left + call + right + ", " + joiner + ")";
        }
    }

    /**
     * A foreign-key join or left join ({@code KTable.join(other, foreignKey, joiner)}, the key-and-value extractor):
     * each left row joined with the right row its {@code foreignKey} names. Its final rows are the join of both
     * sides' final rows, whatever the order the subscriptions and answers crossed in. The sides read no common topic,
     * as for {@link Join}.
     */
    record ForeignKeyJoin(TableExpr left, TableExpr right, KeyFn foreignKey, JoinKind kind, Joiner joiner)
            implements TableExpr {
        public ForeignKeyJoin {
            if (kind == JoinKind.OUTER) {
                throw new IllegalArgumentException("no foreign-key outer join");
            }
            if (!Collections.disjoint(left.topics(), right.topics())) {
                throw new IllegalArgumentException("both sides of a join read a common topic: " + left + ", " + right);
            }
        }

        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public TableExpr named(Namer namer) {
            TableExpr namedLeft = left.named(namer);
            return new ForeignKeyJoin(
                    namedLeft, namer.excluding(namedLeft.topics(), () -> right.named(namer)), foreignKey, kind, joiner);
        }

        @Override
        public String toString() {
            return left + (kind == JoinKind.INNER ? ".join(" : ".leftJoin(") + right + ", " + foreignKey + ", " + joiner
                    + ")";
        }
    }

    /** How a stream is grouped: by its key ({@code groupByKey}) or by a new key ({@code groupBy}). */
    sealed interface Grouping {
        Grouping named(Namer namer);

        record ByKey() implements Grouping {
            @Override
            public Grouping named(Namer namer) {
                return this;
            }

            @Override
            public String toString() {
                return ".groupByKey()";
            }
        }

        /** {@code groupBy(fn)}, with {@code Grouped.as(repartition)} when the name is not null. */
        record By(KeyFn fn, String repartition) implements Grouping {
            @Override
            public Grouping named(Namer namer) {
                return new By(fn, namer.repartition(repartition));
            }

            @Override
            public String toString() {
                return ".groupBy(" + fn + (repartition == null ? "" : ", Grouped.as(\"" + repartition + "\")") + ")";
            }
        }
    }

    /**
     * A {@code KGroupedStream} count, reduce or aggregate. An order-sensitive kind is only allowed where a group's
     * records arrive in a defined order: grouped by the key the source gave them.
     */
    record StreamAggregate(StreamExpr in, Grouping grouping, StreamAggKind kind, StoreSpec store) implements TableExpr {
        public StreamAggregate {
            if (!kind.commutative && !orderDefined(in, grouping)) {
                throw new IllegalArgumentException(kind + " depends on an order that " + in + grouping + " loses");
            }
        }

        /** Whether each group's records arrive in their input order: grouped by the source's own key. */
        static boolean orderDefined(StreamExpr in, Grouping grouping) {
            return grouping instanceof Grouping.ByKey && !in.keyChanged();
        }

        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public TableExpr named(Namer namer) {
            return new StreamAggregate(in.named(namer), grouping.named(namer), kind, store.named(namer));
        }

        @Override
        public String toString() {
            String call =
                    switch (kind.api) {
                        case COUNT -> ".count(";
                        case REDUCE -> ".reduce(" + kind + ", ";
                        case AGGREGATE -> ".aggregate(" + kind + ", ";
                    };
            return in + grouping.toString() + call + store + ")";
        }
    }

    /**
     * {@code table.groupBy((k, v) -> pair(groupKey(k, v), weight(v)))} then count, reduce or aggregate with adder and
     * subtractor, then {@code filter(v != 0)}. The store keeps a group whose rows all left at 0, and whether such a
     * group exists depends on intermediate rows (which caching and partitioning may skip), so both the comparison of
     * the store and every reader downstream see only the non-empty groups.
     */
    record TableAggregate(TableExpr in, KeyFn groupKey, String repartition, TableAggKind kind, StoreSpec store)
            implements TableExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public TableExpr named(Namer namer) {
            return new TableAggregate(
                    in.named(namer), groupKey, namer.repartition(repartition), kind, store.named(namer));
        }

        @Override
        public String toString() {
            String grouped = repartition == null ? "" : ", Grouped.as(\"" + repartition + "\")";
            String call =
                    switch (kind.api) {
                        case COUNT -> ".count(";
                        case REDUCE -> ".reduce(SUM, SUBTRACT, ";
                        case AGGREGATE -> ".aggregate(ZERO, ADD_TWICE, SUBTRACT_TWICE, ";
                    };
            return in + ".groupBy(" + groupKey + "->weight" + grouped + ")" + call + store + ").filter(v != 0)";
        }
    }
}
