package io.weir.streams.processor.internals;

import java.util.Locale;
import java.util.Map;

/**
 * A test-only hook into the commit sequence, since a random kill rarely lands in a window of a millisecond. Each
 * stream thread tells its hook when it reaches one of the three points below.
 *
 * <p>By default the hook is off unless the system property {@value #PROPERTY} is set, to {@code <point>} or
 * {@code <point>:<n>} (halt the n-th time the point is reached, default 1). The halt is {@link Runtime#halt}: no
 * shutdown hook, no flush, files as a kill -9 leaves them.
 *
 * <p>A test in the same JVM passes a {@link Handler} instead, under the application key {@value #HANDLER_CONFIG}
 * (not a declared setting: it is read from the originals, as Kafka reads its internal keys). The handler runs on the
 * stream thread at each point; it may block (a frozen instance, later a zombie) or throw {@link Halt}, which stops the
 * thread there as a kill would: nothing more is written — no abort, no store commit, no leave-group request — and the
 * thread's files and clients are let go, so another instance may open the same {@code state.dir}.
 */
public final class CrashPoints {
    static final String PROPERTY = "weir.streams.crash.at";
    /** The key of an in-process {@link Handler} in the application's properties. */
    public static final String HANDLER_CONFIG = "weir.streams.crash.handler";

    public static final String BEFORE_BROKER_COMMIT = "before-broker-commit";
    public static final String AFTER_BROKER_COMMIT = "after-broker-commit";
    public static final String AFTER_STORE_COMMIT = "after-store-commit";
    /**
     * The global stream thread committed its stores and has not yet written their checkpoint: a halt here leaves the
     * global stores ahead of {@code global/.checkpoint}.
     */
    public static final String GLOBAL_AFTER_STORE_COMMIT = "global-after-store-commit";
    /** Exit status of a halt, so a parent process can tell it from a failure. */
    static final int HALT_STATUS = 137;

    /** Told of each commit point a stream thread reaches, on that thread. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param point  one of {@link #BEFORE_BROKER_COMMIT}, {@link #AFTER_BROKER_COMMIT}, {@link #AFTER_STORE_COMMIT}
         * @param thread the stream thread's name
         * @throws Halt to stop the thread there as a kill would
         */
        void reached(String point, String thread);
    }

    /** Thrown by a {@link Handler} to stop its stream thread at once, as a kill of the process would. */
    public static final class Halt extends Error {
        private static final long serialVersionUID = 1L;

        public Halt(String point) {
            super("Halted at " + point + " (" + HANDLER_CONFIG + ")", null, false, false);
        }
    }

    private static final Handler NONE = (point, thread) -> {};

    private CrashPoints() {}

    /** The handler in {@code originals}, else the system property's halt, else none. */
    static Handler from(Map<String, Object> originals) {
        Object handler = originals.get(HANDLER_CONFIG);
        if (handler instanceof Handler given) {
            return given;
        }
        if (handler != null) {
            throw new IllegalArgumentException(HANDLER_CONFIG + " must be a " + Handler.class.getName() + ", not "
                    + handler.getClass().getName());
        }
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String[] parts = value.trim().toLowerCase(Locale.ROOT).split(":");
        return new HaltAt(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
    }

    /** Halts the JVM at the configured point's n-th arrival, whichever thread arrives. */
    private static final class HaltAt implements Handler {
        private final String point;
        private int remaining;

        HaltAt(String point, int remaining) {
            this.point = point;
            this.remaining = remaining;
        }

        @Override
        public synchronized void reached(String name, String thread) {
            if (point.equals(name) && --remaining == 0) {
                System.err.println("weir: halting at " + name + " (" + PROPERTY + ")");
                System.err.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }
        }
    }
}
