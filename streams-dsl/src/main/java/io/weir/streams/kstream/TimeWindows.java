package io.weir.streams.kstream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fixed-size windows by time, as Kafka Streams' {@code TimeWindows}: tumbling (advance = size) or, with
 * {@link #advanceBy}, hopping. A window {@code [start, start + size)} starts at a multiple of the advance; a
 * record belongs to every window that contains its timestamp. Records arriving after a window's end plus the grace
 * period (by stream time) are dropped. Immutable.
 */
public final class TimeWindows extends Windows<TimeWindow> {
    public final long sizeMs;
    public final long advanceMs;
    private final long graceMs;

    private TimeWindows(long sizeMs, long advanceMs, long graceMs) {
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.graceMs = graceMs;
    }

    /** Tumbling windows of {@code size} that close as soon as stream time passes their end. */
    public static TimeWindows ofSizeWithNoGrace(Duration size) {
        return ofSizeAndGrace(size, Duration.ZERO);
    }

    /**
     * Tumbling windows of {@code size} that accept out-of-order records until stream time passes their end plus
     * {@code afterWindowEnd}.
     *
     * @throws IllegalArgumentException if the size is not positive or the grace is negative
     */
    public static TimeWindows ofSizeAndGrace(Duration size, Duration afterWindowEnd) {
        long s = checkDuration(size, "size");
        if (s <= 0) {
            throw new IllegalArgumentException("Window size (sizeMs) must be larger than zero, was " + s);
        }
        return new TimeWindows(s, s, checkDuration(afterWindowEnd, "afterWindowEnd"));
    }

    /**
     * Hopping windows: a new window every {@code advance}.
     *
     * @throws IllegalArgumentException if the advance is not positive or larger than the size
     */
    public TimeWindows advanceBy(Duration advance) {
        long a = checkDuration(advance, "advance");
        if (a <= 0 || a > sizeMs) {
            throw new IllegalArgumentException(
                    "Window advancement interval should be more than zero and less than window duration which is "
                            + sizeMs + " ms, but given advancement interval is: " + a + " ms");
        }
        return new TimeWindows(sizeMs, a, graceMs);
    }

    @Override
    public Map<Long, TimeWindow> windowsFor(long timestamp) {
        long windowStart = (Math.max(0, timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs;
        Map<Long, TimeWindow> windows = new LinkedHashMap<>();
        while (windowStart <= timestamp) {
            windows.put(windowStart, new TimeWindow(windowStart, windowStart + sizeMs));
            windowStart += advanceMs;
        }
        return windows;
    }

    @Override
    public long size() {
        return sizeMs;
    }

    @Override
    public long gracePeriodMs() {
        return graceMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeWindows w && w.sizeMs == sizeMs && w.advanceMs == advanceMs && w.graceMs == graceMs;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sizeMs, advanceMs, graceMs);
    }

    @Override
    public String toString() {
        return "TimeWindows{sizeMs=" + sizeMs + ", advanceMs=" + advanceMs + ", graceMs=" + graceMs + '}';
    }
}
