package io.weir.streams.kstream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The time bounds of a stream-stream join, as Kafka Streams' {@code JoinWindows} (with KIP-633's explicit grace): a
 * record of this stream at time {@code t} joins the other stream's records of its key with timestamps in {@code
 * [t - before, t + after]}. Records arriving more than the grace period after their window closed (by the join's
 * stream time) are dropped; a left or outer join emits a record's non-joined result once its window closed. Immutable.
 */
public final class JoinWindows extends Windows<Window> {
    /** How far back in time the other stream's records may be. */
    public final long beforeMs;
    /** How far ahead in time the other stream's records may be. */
    public final long afterMs;

    private final long graceMs;

    private JoinWindows(long beforeMs, long afterMs, long graceMs) {
        if (beforeMs + afterMs < 0) {
            throw new IllegalArgumentException(
                    "Window interval (ie, beforeMs+afterMs) must not be negative, was before=" + beforeMs + " after="
                            + afterMs);
        }
        this.beforeMs = beforeMs;
        this.afterMs = afterMs;
        this.graceMs = graceMs;
    }

    /**
     * Records joinable within {@code timeDifference} of each other either way, and out-of-order records accepted
     * until {@code afterWindowEnd} after their window's end.
     *
     * @throws IllegalArgumentException if either duration is null or negative
     */
    public static JoinWindows ofTimeDifferenceAndGrace(Duration timeDifference, Duration afterWindowEnd) {
        long difference = checkDuration(timeDifference, "timeDifference");
        return new JoinWindows(difference, difference, checkDuration(afterWindowEnd, "afterWindowEnd"));
    }

    /**
     * Records joinable within {@code timeDifference} of each other either way; a record arriving after its window
     * ended (by stream time) is dropped.
     *
     * @throws IllegalArgumentException if the duration is null or negative
     */
    public static JoinWindows ofTimeDifferenceWithNoGrace(Duration timeDifference) {
        return ofTimeDifferenceAndGrace(timeDifference, Duration.ZERO);
    }

    /**
     * The same windows, with the other stream's records joinable up to {@code timeDifference} before this stream's.
     * May be negative as long as {@code before + after} is not.
     *
     * @throws IllegalArgumentException if the duration is null, or {@code before + after} would be negative
     */
    public JoinWindows before(Duration timeDifference) {
        return new JoinWindows(millis(timeDifference, "timeDifference"), afterMs, graceMs);
    }

    /**
     * The same windows, with the other stream's records joinable up to {@code timeDifference} after this stream's.
     * May be negative as long as {@code before + after} is not.
     *
     * @throws IllegalArgumentException if the duration is null, or {@code before + after} would be negative
     */
    public JoinWindows after(Duration timeDifference) {
        return new JoinWindows(beforeMs, millis(timeDifference, "timeDifference"), graceMs);
    }

    private static long millis(Duration d, String what) {
        if (d == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return d.toMillis();
    }

    /** @throws UnsupportedOperationException always: join windows are relative to each record */
    @Override
    public Map<Long, Window> windowsFor(long timestamp) {
        throw new UnsupportedOperationException("windowsFor() is not supported by JoinWindows.");
    }

    /** {@code before + after}: the span of one record's window. */
    @Override
    public long size() {
        return beforeMs + afterMs;
    }

    @Override
    public long gracePeriodMs() {
        return graceMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinWindows w && w.beforeMs == beforeMs && w.afterMs == afterMs && w.graceMs == graceMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(beforeMs, afterMs, graceMs);
    }

    @Override
    public String toString() {
        return "JoinWindows{beforeMs=" + beforeMs + ", afterMs=" + afterMs + ", graceMs=" + graceMs + '}';
    }
}
