package io.weir.streams.randomtopology;

import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.StreamJoined;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.randomtopology.Ops.JoinKind;
import io.weir.streams.randomtopology.Ops.Joiner;
import io.weir.streams.state.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Stream-stream joins in random topologies ({@link StreamExpr.JoinStream}): their windows, how Weir builds them, what
 * they mean to the reference, and the closing records.
 *
 * <p>What a stream-stream join emits depends on its stream time, which each task keeps for its own keys: how many
 * records are late, and which windows have closed, differ with the partitioning. So the generated joins have a grace
 * longer than the input's time span (nothing is late, no window closes early) and are closed only at the end: each
 * join reads, merged into both sides, a closer topic that gets, after all input, one record per key either side saw,
 * with a timestamp far past every window. In every partitioning that moves each task's stream time past every
 * window, so the left and outer joins emit every record that found no match; the closers join each other, and their
 * results (valued -1 by the joiner) are filtered out right after the join. Joins nested in joins are closed inner
 * first. The reference then is: every pair of records of a key whose timestamps are within the window, plus, on an
 * outer side, every record with no such pair, joined with null at its own timestamp.
 */
final class StreamJoins {
    private StreamJoins() {}

    /** The value of a closing record, and of what the join makes of it. */
    private static final long CLOSING = -1L;

    /** The timestamp of the closing records: past every window of every input record. */
    private static final long CLOSING_TIME = 1_000_000_000L;

    /** Longer than any input's time span (stream records may be offset by 10 s, see {@link Input#place}). */
    static final Duration GRACE = Duration.ofHours(1);

    /** How far before and after a left record its right partners may be (before may be negative). */
    enum Window {
        SAME_MILLISECOND(0, 0),
        NEAR(5, 5),
        AHEAD(0, 25),
        SHIFTED_AHEAD(-5, 25),
        MOSTLY_BEHIND(40, 2);

        final long beforeMs;
        final long afterMs;

        Window(long beforeMs, long afterMs) {
            this.beforeMs = beforeMs;
            this.afterMs = afterMs;
        }

        JoinWindows windows() {
            return JoinWindows.ofTimeDifferenceAndGrace(Duration.ZERO, GRACE)
                    .after(Duration.ofMillis(afterMs))
                    .before(Duration.ofMillis(beforeMs));
        }

        boolean contains(long leftTime, long rightTime) {
            long difference = rightTime - leftTime;
            return difference >= -beforeMs && difference <= afterMs;
        }

        @Override
        public String toString() {
            return "JoinWindows.ofTimeDifferenceAndGrace(ZERO, ofHours(1)).after(ofMillis(" + afterMs
                    + ")).before(ofMillis(" + beforeMs + "))";
        }
    }

    static Arbitrary<StreamExpr> joins(Arbitrary<StreamExpr> in) {
        Arbitrary<StoreSpec> stores =
                Arbitraries.of(false, true).map(inMemory -> new StoreSpec(Expr.UNNAMED, inMemory, false));
        return Combinators.combine(
                        in,
                        in,
                        Arbitraries.of(JoinKind.class),
                        Arbitraries.of(Joiner.class),
                        Arbitraries.of(Window.class),
                        stores)
                .as((left, right, kind, joiner, window, store) ->
                        new StreamExpr.JoinStream(left, right, kind, joiner, window, store, Expr.UNNAMED));
    }

    /** The join with Weir's DSL: closers merged into both sides, their results filtered out after it. */
    static KStream<String, Long> build(
            StreamExpr.JoinStream j,
            KStream<String, Long> left,
            KStream<String, Long> right,
            KStream<String, Long> closers) {
        ValueJoiner<Long, Long, Long> joiner =
                (a, b) -> isClosing(a) || isClosing(b) ? CLOSING : j.joiner().apply(a, b);
        StreamJoined<String, Long, Long> joined;
        if (j.store().inMemory()) {
            Duration retention = GRACE.plusMillis(100);
            Duration size = Duration.ofMillis(Math.max(1, j.window().beforeMs + j.window().afterMs));
            joined = StreamJoined.with(
                    Stores.inMemoryWindowStore(j.store().name() + "-left", retention, size, true),
                    Stores.inMemoryWindowStore(j.store().name() + "-right", retention, size, true));
        } else {
            joined = StreamJoined.as(j.store().name());
        }
        KStream<String, Long> l = left.merge(closers);
        KStream<String, Long> r = right.merge(closers);
        JoinWindows windows = j.window().windows();
        KStream<String, Long> out =
                switch (j.kind()) {
                    case INNER -> l.join(r, joiner, windows, joined);
                    case LEFT -> l.leftJoin(r, joiner, windows, joined);
                    case OUTER -> l.outerJoin(r, joiner, windows, joined);
                };
        return out.filter((k, v) -> v != CLOSING);
    }

    private static boolean isClosing(Long value) {
        return value != null && value == CLOSING;
    }

    /** Every pair within the window, then the records of outer sides that found none. */
    static List<Reference.Rec> reference(StreamExpr.JoinStream j, List<Reference.Rec> left, List<Reference.Rec> right) {
        List<Reference.Rec> out = new ArrayList<>();
        boolean[] rightMatched = new boolean[right.size()];
        for (Reference.Rec l : left) {
            boolean matched = false;
            for (int i = 0; i < right.size(); i++) {
                Reference.Rec r = right.get(i);
                if (l.key().equals(r.key()) && j.window().contains(l.timestamp(), r.timestamp())) {
                    matched = true;
                    rightMatched[i] = true;
                    out.add(new Reference.Rec(
                            l.key(), j.joiner().apply(l.value(), r.value()), Math.max(l.timestamp(), r.timestamp())));
                }
            }
            if (!matched && j.kind() != JoinKind.INNER) {
                out.add(new Reference.Rec(l.key(), j.joiner().apply(l.value(), null), l.timestamp()));
            }
        }
        if (j.kind() == JoinKind.OUTER) {
            for (int i = 0; i < right.size(); i++) {
                if (!rightMatched[i]) {
                    Reference.Rec r = right.get(i);
                    out.add(new Reference.Rec(r.key(), j.joiner().apply(null, r.value()), r.timestamp()));
                }
            }
        }
        return out;
    }

    /** {@code input}, then each join's closing records, inner joins first. */
    static List<Input.Record> withClosers(RandomTopology topology, List<Input.Record> input) {
        List<StreamExpr.JoinStream> joins = new ArrayList<>();
        topology.walk().forEach(e -> {
            if (e instanceof StreamExpr.JoinStream j) {
                joins.add(0, j); // reversed pre-order: every join after the joins inside it
            }
        });
        if (joins.isEmpty()) {
            return input;
        }
        List<Input.Record> closed = new ArrayList<>(input);
        for (StreamExpr.JoinStream j : joins) {
            Set<String> keys = new LinkedHashSet<>();
            Reference.records(input, j.left()).forEach(r -> keys.add(r.key()));
            Reference.records(input, j.right()).forEach(r -> keys.add(r.key()));
            keys.forEach(key -> closed.add(new Input.Record(j.closer(), key, CLOSING, CLOSING_TIME)));
        }
        return closed;
    }
}
