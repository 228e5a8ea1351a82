package io.weir.tools;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where a command reads and writes: standard input, output and error, and whether a person is watching (then
 * long operations show progress on standard error). The real {@code main} passes the process's streams; tests
 * pass their own and read what the command printed.
 *
 * @param in       lines for the console producer
 * @param out      results: tables, JSON, records
 * @param err      errors, warnings and progress
 * @param terminal true when standard error is a terminal, so progress lines may be redrawn in place
 */
record Io(InputStream in, PrintWriter out, PrintWriter err, boolean terminal) {

    static Io system() {
        return new Io(System.in, writer(System.out), writer(System.err), System.console() != null);
    }

    static Io of(InputStream in, OutputStream out, OutputStream err) {
        return new Io(in, writer(out), writer(err), false);
    }

    private static PrintWriter writer(OutputStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
