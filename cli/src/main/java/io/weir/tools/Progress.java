package io.weir.tools;

import java.io.PrintWriter;

/**
 * A progress line on standard error, redrawn in place, for operations long enough to leave a person wondering
 * (a dump of a large log, a reset of many offsets). Silent unless standard error is a terminal, so scripts and
 * logs never see it. Not thread-safe.
 */
final class Progress implements AutoCloseable {
    private static final long REDRAW_EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String what;
    private final long total;
    private long lastDrawn = System.nanoTime();
    private boolean drawn;

    Progress(Io io, String what, long total) {
        this.err = io.err();
        this.enabled = io.terminal() && total > 0;
        this.what = what;
        this.total = total;
    }

    void update(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawn < REDRAW_EVERY_NANOS) {
            return;
        }
        lastDrawn = now;
        drawn = true;
        err.print("\r" + what + ": " + (done * 100 / total) + "% (" + done + " of " + total + ")");
        err.flush();
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
