package io.weir.streams.kstream;

import java.time.Duration;

/**
 * Sessions, as Kafka Streams' {@code SessionWindows}: a key's records no more than the inactivity gap apart form one
 * session {@code [first, last]}; a record that bridges two sessions merges them. A record is dropped when the
 * session it would form or join ends before stream time minus the gap and the grace. Immutable.
 */
public final class SessionWindows {
    private final long gapMs;
    private final long graceMs;

    private SessionWindows(long gapMs, long graceMs) {
        this.gapMs = gapMs;
        this.graceMs = graceMs;
    }

    public static SessionWindows ofInactivityGapWithNoGrace(Duration inactivityGap) {
        return ofInactivityGapAndGrace(inactivityGap, Duration.ZERO);
    }

    /** @throws IllegalArgumentException if the gap is not positive or the grace is negative */
    public static SessionWindows ofInactivityGapAndGrace(Duration inactivityGap, Duration afterWindowEnd) {
        long gap = Windows.checkDuration(inactivityGap, "inactivityGap");
        if (gap <= 0) {
            throw new IllegalArgumentException("Gap time (inactivityGapMs) cannot be zero or negative, was " + gap);
        }
        return new SessionWindows(gap, Windows.checkDuration(afterWindowEnd, "afterWindowEnd"));
    }

    public long inactivityGap() {
        return gapMs;
    }

    public long gracePeriodMs() {
        return graceMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionWindows w && w.gapMs == gapMs && w.graceMs == graceMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(gapMs * 31 + graceMs);
    }

    @Override
    public String toString() {
        return "SessionWindows{gapMs=" + gapMs + ", graceMs=" + graceMs + '}';
    }
}
