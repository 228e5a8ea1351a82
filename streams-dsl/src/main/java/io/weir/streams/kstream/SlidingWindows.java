package io.weir.streams.kstream;

import java.time.Duration;

/**
 * Sliding windows, as Kafka Streams' {@code SlidingWindows} (KIP-450): windows of a fixed time difference, inclusive
 * at both ends, placed by the records themselves rather than aligned to the epoch. Each record at {@code t} has the
 * window {@code [t - timeDifference, t]} that ends with it, and {@code [t + 1, t + 1 + timeDifference]} that starts
 * just after it once a later record falls in that range; an aggregation updates every window a record falls in, so
 * each distinct non-empty set of records a window of that size can hold is aggregated exactly once, and no empty
 * window is ever emitted. Records before {@code timeDifference} share the window {@code [0, timeDifference]} (window
 * starts are never negative). A window is closed once stream time passes its end plus the grace period; a record all
 * of whose windows are closed is dropped and counted. Immutable.
 */
public final class SlidingWindows {
    private final long timeDifferenceMs;
    private final long graceMs;

    private SlidingWindows(long timeDifferenceMs, long graceMs) {
        this.timeDifferenceMs = timeDifferenceMs;
        this.graceMs = graceMs;
    }

    /** Sliding windows of {@code timeDifference} that close as soon as stream time passes their end. */
    public static SlidingWindows ofTimeDifferenceWithNoGrace(Duration timeDifference) {
        return ofTimeDifferenceAndGrace(timeDifference, Duration.ZERO);
    }

    /**
     * Sliding windows of {@code timeDifference} that accept out-of-order records until stream time passes a window's
     * end plus {@code afterWindowEnd}.
     *
     * @throws IllegalArgumentException if the time difference is not positive (Kafka accepts 0 here and fails on the
     *     first record, whose window would be empty) or the grace is negative
     */
    public static SlidingWindows ofTimeDifferenceAndGrace(Duration timeDifference, Duration afterWindowEnd) {
        long difference = Windows.checkDuration(timeDifference, "timeDifference");
        if (difference <= 0) {
            throw new IllegalArgumentException("Window time difference must be larger than zero, was " + difference);
        }
        return new SlidingWindows(difference, Windows.checkDuration(afterWindowEnd, "afterWindowEnd"));
    }

    /** The largest difference between the timestamps of two records in one window, in milliseconds. */
    public long timeDifferenceMs() {
        return timeDifferenceMs;
    }

    /** How long after a window ends records for it are still accepted, in milliseconds. */
    public long gracePeriodMs() {
        return graceMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlidingWindows w && w.timeDifferenceMs == timeDifferenceMs && w.graceMs == graceMs;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(timeDifferenceMs, graceMs);
    }

    @Override
    public String toString() {
        return "SlidingWindows{timeDifferenceMs=" + timeDifferenceMs + ", graceMs=" + graceMs + '}';
    }
}
