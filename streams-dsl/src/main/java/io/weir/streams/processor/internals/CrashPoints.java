package io.weir.streams.processor.internals;

import java.util.Locale;

/**
 * A test-only hook that halts the JVM at a named point of the commit sequence, since a random kill rarely lands in a
 * window of a millisecond. Off unless the system property {@value #PROPERTY} is set, to {@code <point>} or
 * {@code <point>:<n>} (halt the n-th time the point is reached, default 1), with the points below. The halt is
 * {@link Runtime#halt}: no shutdown hook, no flush, files as a kill -9 leaves them.
 */
final class CrashPoints {
    static final String PROPERTY = "weir.streams.crash.at";
    static final String BEFORE_BROKER_COMMIT = "before-broker-commit";
    static final String AFTER_BROKER_COMMIT = "after-broker-commit";
    static final String AFTER_STORE_COMMIT = "after-store-commit";
    /** Exit status of a halt, so a parent process can tell it from a failure. */
    static final int HALT_STATUS = 137;

    private static final CrashPoints NONE = new CrashPoints(null, 0);

    private final String point;
    private int remaining;

    private CrashPoints(String point, int remaining) {
        this.point = point;
        this.remaining = remaining;
    }

    static CrashPoints fromSystemProperties() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String[] parts = value.trim().toLowerCase(Locale.ROOT).split(":");
        int n = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        return new CrashPoints(parts[0], n);
    }

    /** Halts the JVM if this is the configured point's n-th arrival. */
    synchronized void reached(String name) {
        if (point != null && point.equals(name) && --remaining == 0) {
            System.err.println("weir: halting at " + name + " (" + PROPERTY + ")");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
