package io.weir.common.utils;

/**
 * The one source of time for the broker and its clients, injected so tests advance a manual clock instead
 * of sleeping. {@link #SYSTEM} reads the JVM clocks.
 */
public interface Time {

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };

    /** Wall-clock milliseconds since the epoch: record timestamps, segment ages, retention. */
    long milliseconds();

    /** A monotonic reading for measuring intervals and deadlines. */
    long nanoseconds();

    default long hiResClockMs() {
        return nanoseconds() / 1_000_000L;
    }
}
