package io.weir.streams.kstream;

/**
 * A time interval, as Kafka Streams' {@code Window}: {@code [start, end)} for time windows, {@code [start, end]} for
 * sessions. Immutable.
 */
public abstract class Window {
    protected final long startMs;
    protected final long endMs;

    /** @throws IllegalArgumentException if {@code startMs} is negative or {@code endMs} is before it */
    public Window(long startMs, long endMs) {
        if (startMs < 0) {
            throw new IllegalArgumentException("Window startMs must not be negative, was " + startMs);
        }
        if (endMs < startMs) {
            throw new IllegalArgumentException(
                    "Window endMs " + endMs + " must not be smaller than its startMs " + startMs);
        }
        this.startMs = startMs;
        this.endMs = endMs;
    }

    public long start() {
        return startMs;
    }

    public long end() {
        return endMs;
    }

    public java.time.Instant startTime() {
        return java.time.Instant.ofEpochMilli(startMs);
    }

    public java.time.Instant endTime() {
        return java.time.Instant.ofEpochMilli(endMs);
    }

    /** Whether this window and {@code other}, of the same type, overlap. */
    public abstract boolean overlap(Window other);

    @Override
    public boolean equals(Object o) {
        return o != null
                && o.getClass() == getClass()
                && ((Window) o).startMs == startMs
                && ((Window) o).endMs == endMs;
    }

    @Override
    public int hashCode() {
        return Long.hashCode((startMs << 32) | endMs);
    }

    @Override
    public String toString() {
        return "Window{startMs=" + startMs + ", endMs=" + endMs + '}';
    }
}
