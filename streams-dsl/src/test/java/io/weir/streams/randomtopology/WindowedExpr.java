package io.weir.streams.randomtopology;

import io.weir.streams.randomtopology.Ops.StreamAggKind;
import java.util.List;

/**
 * A windowed aggregation root: {@code in.groupByKey().windowedBy(windows)} then count, reduce or aggregate, judged by
 * its window or session store's final contents (issue 18). Time windows are tumbling or hopping; sessions merge a
 * key's records within the inactivity gap.
 *
 * <p>Records are out of order (the input's timestamps are random), and a record is dropped once its window closed:
 * when stream time — the newest timestamp the aggregation's task has seen, the record's own included — reached the
 * window's end plus the grace (a session: its merged end plus gap plus grace). Which records a task sees depends on
 * the partitioning, and the order it sees them in must be defined, so a grace that can drop records is used only when
 * the stream's key never changed (a task then sees its input partition's records in input order, in any runtime); after
 * a key change the grace outlasts the input's time span, and the aggregation must be commutative. So must a session
 * aggregation be, as merging sessions combines their aggregates in no defined order.
 *
 * <p>{@code tick}: the records' timestamps are first rounded down to a multiple of it ({@code processValues} with
 * {@code withTimestamp}), so that with window sizes, gaps and graces in whole ticks, records land exactly on the grace
 * boundary often; a tick of 1 keeps the input's times.
 */
record WindowedExpr(StreamExpr in, long tick, Windowing windowing, StreamAggKind kind, StoreSpec store)
        implements Expr {
    /** A grace no input outlasts: nothing is late. */
    static final long NO_LATE_GRACE = 3_600_000;

    /** How long the stores keep windows: longer than any input, so only the grace decides what is dropped. */
    static final long RETENTION = 2 * NO_LATE_GRACE;

    /** The windows: time windows of {@code size} every {@code advance} (tumbling when equal), or sessions. */
    record Windowing(boolean session, long size, long advance, long grace) {
        Windowing {
            if (session ? advance != 0 : advance <= 0 || advance > size) {
                throw new IllegalArgumentException("bad windowing " + size + "/" + advance);
            }
        }

        @Override
        public String toString() {
            if (session) {
                return "SessionWindows.ofInactivityGapAndGrace(ofMillis(" + size + "), ofMillis(" + grace + "))";
            }
            return "TimeWindows.ofSizeAndGrace(ofMillis(" + size + "), ofMillis(" + grace + "))"
                    + (advance == size ? "" : ".advanceBy(ofMillis(" + advance + "))");
        }
    }

    WindowedExpr {
        if (tick < 1) {
            throw new IllegalArgumentException("tick " + tick);
        }
        if (!kind.commutative && (windowing.session() || in.keyChanged())) {
            throw new IllegalArgumentException(kind + " depends on an order that " + this + " does not define");
        }
        if (in.keyChanged() && windowing.grace() != NO_LATE_GRACE) {
            throw new IllegalArgumentException("after a key change nothing may be late: " + windowing);
        }
    }

    /** {@code kind} and {@code windowing} as they may be over {@code in}: see the class comment. */
    static WindowedExpr of(StreamExpr in, long tick, Windowing windowing, StreamAggKind kind, StoreSpec store) {
        StreamAggKind allowed = kind.commutative || !(windowing.session() || in.keyChanged())
                ? kind
                : kind == StreamAggKind.LATEST ? StreamAggKind.SUM : StreamAggKind.SUM_OF_SQUARES;
        Windowing allowedWindowing = in.keyChanged()
                ? new Windowing(windowing.session(), windowing.size(), windowing.advance(), NO_LATE_GRACE)
                : windowing;
        return new WindowedExpr(in, tick, allowedWindowing, allowed, store);
    }

    @Override
    public List<Expr> children() {
        return List.of(in);
    }

    WindowedExpr named(Namer namer) {
        return new WindowedExpr(in.named(namer), tick, windowing, kind, store.named(namer));
    }

    @Override
    public String toString() {
        String call =
                switch (kind.api) {
                    case COUNT -> ".count(";
                    case REDUCE -> ".reduce(" + kind + ", ";
                    case AGGREGATE -> ".aggregate(" + kind + (windowing.session() ? ", SUM_MERGER, " : ", ");
                };
        String rounded = tick == 1 ? "" : ".processValues(roundTimestampDownTo(" + tick + "))";
        return in + rounded + ".groupByKey().windowedBy(" + windowing + ")" + call + store + ")";
    }
}
