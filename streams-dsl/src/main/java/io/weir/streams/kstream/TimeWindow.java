package io.weir.streams.kstream;

/** A time window {@code [start, end)}: end exclusive. (Kafka keeps it in {@code kstream.internals}; here it is API,
 * since {@link TimeWindows#windowsFor} returns it.) */
public final class TimeWindow extends Window {
    public TimeWindow(long startMs, long endMs) {
        super(startMs, endMs);
        if (startMs == endMs) {
            throw new IllegalArgumentException("Window endMs must be greater than its startMs " + startMs);
        }
    }

    @Override
    public boolean overlap(Window other) {
        if (!(other instanceof TimeWindow)) {
            throw new IllegalArgumentException(
                    "Cannot compare windows of different type. Other window has type " + other.getClass() + ".");
        }
        return startMs < other.end() && other.start() < endMs;
    }
}
