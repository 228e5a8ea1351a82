package io.weir.streams.randomtopology;

import io.weir.streams.randomtopology.Ops.Fan;
import io.weir.streams.randomtopology.Ops.JoinKind;
import io.weir.streams.randomtopology.Ops.Joiner;
import io.weir.streams.randomtopology.Ops.KeyFn;
import io.weir.streams.randomtopology.Ops.Pred;
import io.weir.streams.randomtopology.Ops.ValueFn;
import java.util.List;

/**
 * A {@code KStream<String, Long>} of a random topology. Each record prints as the DSL calls that build it, so a shrunk
 * counterexample reads as code.
 */
sealed interface StreamExpr extends Expr {

    /**
     * Whether some operator on the way from the source may have changed a record's key. If not, all records of a key
     * come from one input partition and reach every operator in their input order; if so, records of one new key
     * come from several input partitions and their relative order is not defined.
     */
    boolean keyChanged();

    /** A copy with fresh topic, store and repartition names. */
    StreamExpr named(Namer namer);

    /**
     * {@code builder.stream(topic)}; a shared source is the same {@code KStream} as the last source built before it
     * (so its records fan out to several operators) and prints as that stream's topic.
     */
    record Source(String topic, boolean shared) implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of();
        }

        @Override
        public boolean keyChanged() {
            return false;
        }

        @Override
        public StreamExpr named(Namer namer) {
            String last = namer.lastStreamTopic();
            return shared && last != null ? new Source(last, true) : new Source(namer.streamTopic(), false);
        }

        @Override
        public String toString() {
            return shared ? topic : "builder.stream(\"" + topic + "\")";
        }
    }

    record Filter(StreamExpr in, Pred pred) implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public boolean keyChanged() {
            return in.keyChanged();
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new Filter(in.named(namer), pred);
        }

        @Override
        public String toString() {
            return in + ".filter(" + pred + ")";
        }
    }

    record MapValues(StreamExpr in, ValueFn fn) implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public boolean keyChanged() {
            return in.keyChanged();
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new MapValues(in.named(namer), fn);
        }

        @Override
        public String toString() {
            return in + ".mapValues(" + fn + ")";
        }
    }

    record SelectKey(StreamExpr in, KeyFn fn) implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public boolean keyChanged() {
            return true;
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new SelectKey(in.named(namer), fn);
        }

        @Override
        public String toString() {
            return in + ".selectKey(" + fn + ")";
        }
    }

    /** {@code map}: a new key and a new value at once. */
    record MapKeyAndValue(StreamExpr in, KeyFn keyFn, ValueFn valueFn) implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public boolean keyChanged() {
            return true;
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new MapKeyAndValue(in.named(namer), keyFn, valueFn);
        }

        @Override
        public String toString() {
            return in + ".map(" + keyFn + ", " + valueFn + ")";
        }
    }

    record FlatMapValues(StreamExpr in, Fan fan) implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of(in);
        }

        @Override
        public boolean keyChanged() {
            return in.keyChanged();
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new FlatMapValues(in.named(namer), fan);
        }

        @Override
        public String toString() {
            return in + ".flatMapValues(" + fan + ")";
        }
    }

    /**
     * A stream-table join or left join. The table must not read any stream: its rows are then final before the first
     * stream record is piped, so what each record joins with is defined whatever the partitioning.
     */
    record JoinTable(StreamExpr in, TableExpr table, JoinKind kind, Joiner joiner) implements StreamExpr {
        public JoinTable {
            if (kind == JoinKind.OUTER) {
                throw new IllegalArgumentException("a stream-table join is inner or left");
            }
            if (table.readsStreams()) {
                throw new IllegalArgumentException("the table of a stream-table join must not read a stream: " + table);
            }
        }

        @Override
        public List<Expr> children() {
            return List.of(in, table);
        }

        @Override
        public boolean keyChanged() {
            return in.keyChanged();
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new JoinTable(in.named(namer), table.named(namer), kind, joiner);
        }

        @Override
        public String toString() {
            return in + (kind == JoinKind.INNER ? ".join(" : ".leftJoin(") + table + ", " + joiner + ")";
        }
    }

    /**
     * A stream-stream join, left join or outer join of two streams within {@code window}, with a grace longer than
     * the input's time span, so that no partitioning makes a record late and no window closes before the end. The
     * windows close when {@code closer}'s records arrive: that topic is merged into both sides and, after all input,
     * gets one record per key of either side far in the future (see {@link StreamJoins}). The order of a key's
     * results is not defined (they come as records of either side arrive), so they are compared as a multiset.
     */
    record JoinStream(
            StreamExpr left,
            StreamExpr right,
            JoinKind kind,
            Joiner joiner,
            StreamJoins.Window window,
            StoreSpec store,
            String closer)
            implements StreamExpr {
        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }

        @Override
        public boolean keyChanged() {
            return true;
        }

        @Override
        public StreamExpr named(Namer namer) {
            return new JoinStream(
                    left.named(namer),
                    right.named(namer),
                    kind,
                    joiner,
                    window,
                    store.named(namer),
                    namer.closerTopic());
        }

        @Override
        public String toString() {
            String call =
                    switch (kind) {
                        case INNER -> ".join(";
                        case LEFT -> ".leftJoin(";
                        case OUTER -> ".outerJoin(";
                    };
            String joined = store.inMemory()
                    ? "StreamJoined.with(inMemoryWindowStore(\"" + store.name() + "-left\"), inMemoryWindowStore(\""
                            + store.name() + "-right\"))"
                    : "StreamJoined.as(\"" + store.name() + "\")";
            return left + ".merge(" + closer + ")" + call + right + ".merge(" + closer + "), " + joiner + ", " + window
                    + ", " + joined + ").filter(v != -1)";
        }
    }
}
