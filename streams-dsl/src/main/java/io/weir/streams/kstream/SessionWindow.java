package io.weir.streams.kstream;

/** A session {@code [start, end]}: both ends inclusive (a one-record session has start = end). */
public final class SessionWindow extends Window {
    public SessionWindow(long startMs, long endMs) {
        super(startMs, endMs);
    }

    @Override
    public boolean overlap(Window other) {
        if (!(other instanceof SessionWindow)) {
            throw new IllegalArgumentException(
                    "Cannot compare windows of different type. Other window has type " + other.getClass() + ".");
        }
        return !(other.end() < startMs || endMs < other.start());
    }
}
