package io.weir.streams.kstream;

import java.time.Duration;

/**
 * Sliding windows, as Kafka Streams' {@code SlidingWindows}: windows of a fixed time difference
 * {@code [t - difference, t]} that exist where records are, so every record's window holds exactly the records within
 * the difference before it. A record later than stream time minus the grace (beyond its window's end) is dropped.
 * Immutable.
 */
public final class SlidingWindows {
    private final long timeDifferenceMs;
    private final long graceMs;

    private SlidingWindows(long timeDifferenceMs, long graceMs) {
        this.timeDifferenceMs = timeDifferenceMs;
        this.graceMs = graceMs;
    }

    public static SlidingWindows ofTimeDifferenceWithNoGrace(Duration timeDifference) {
        return ofTimeDifferenceAndGrace(timeDifference, Duration.ZERO);
    }

    /** @throws IllegalArgumentException if the difference is not positive or the grace is negative */
    public static SlidingWindows ofTimeDifferenceAndGrace(Duration timeDifference, Duration afterWindowEnd) {
        long d = Windows.checkDuration(timeDifference, "timeDifference");
        if (d <= 0) {
            throw new IllegalArgumentException("Window time difference must be larger than zero, was " + d);
        }
        return new SlidingWindows(d, Windows.checkDuration(afterWindowEnd, "afterWindowEnd"));
    }

    public long timeDifferenceMs() {
        return timeDifferenceMs;
    }

    public long gracePeriodMs() {
        return graceMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlidingWindows w && w.timeDifferenceMs == timeDifferenceMs && w.graceMs == graceMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timeDifferenceMs * 31 + graceMs);
    }

    @Override
    public String toString() {
        return "SlidingWindows{timeDifferenceMs=" + timeDifferenceMs + ", graceMs=" + graceMs + '}';
    }
}
