package io.weir.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weir's flagship example: an exactly-once streams application ({@link OrdersRevenueApp}, revenue per customer from
 * a stream of orders) killed in the middle of its work, then restarted on the same state directory, where it
 * recovers, finishes, and proves its result three ways.
 *
 * <p>The application runs in child JVMs so that the kill is real. The first child halts with
 * {@code Runtime.halt} (as {@code kill -9} would) at its {@code n}-th commit, just after the broker committed the
 * transaction and before the state store committed: the window where the store lags its changelog, chosen through
 * Weir's crash point {@code weir.streams.crash.at=after-broker-commit:n} because a random kill rarely lands in it.
 * ({@code --sigkill} instead kills the child with {@code Process.destroyForcibly} once it is halfway.) The second
 * child recovers the broker and the store from their files, replays only the changelog records the store missed,
 * and finishes. This process prints both children's output, then the restart's figures, and exits with the second
 * child's status.
 *
 * <p>Arguments (optional): {@code [orders [state-dir]] [--sigkill]}; default 200,000 orders in a fresh temporary
 * directory, removed at the end.
 */
public final class OrdersRevenueExample {
    static final long DEFAULT_ORDERS = 200_000;
    private static final String CRASH_PROPERTY = "weir.streams.crash.at";
    private static final int HALT_STATUS = 137;

    /**
     * The commit the first run halts at. The feed writes a transaction only once the store accounts for the one
     * {@value OrderFeed#AHEAD} before it, and a transaction reaches the store no sooner than two commits after it is
     * written, so after {@code k} commits the store accounts for at most {@code AHEAD * k / 2} of the
     * {@value OrderFeed#TRANSACTIONS} transactions: 34 at commit 17. The halt always comes before the end (in practice
     * 15–60 % of the way, at about one transaction a commit).
     */
    static final int CRASH_AT_COMMIT = 17;

    /** How the first run is killed. */
    enum Kill {
        /** {@code Runtime.halt} at the n-th commit, between the broker's commit and the store's. */
        CRASH_POINT,
        /** {@code Process.destroyForcibly} once the child reports it is halfway. */
        SIGKILL
    }

    /**
     * @param crashAtCommit    the commit the first run halts at, under {@link Kill#CRASH_POINT}
     * @param commitIntervalMs the application's {@code commit.interval.ms}, or -1 for its default (100 ms)
     */
    record Options(long orders, Path stateDir, Kill kill, int crashAtCommit, long commitIntervalMs) {
        Options {
            if (orders < 1) {
                throw new IllegalArgumentException("Need at least one order, not " + orders);
            }
            if (crashAtCommit < 1) {
                throw new IllegalArgumentException("The crash commit counts from 1, not " + crashAtCommit);
            }
        }
    }

    private OrdersRevenueExample() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Kill kill = Kill.CRASH_POINT;
        for (String arg : args) {
            if (arg.equals("--sigkill")) {
                kill = Kill.SIGKILL;
            } else if (arg.startsWith("--")) {
                System.err.println("usage: OrdersRevenueExample [orders [state-dir]] [--sigkill]");
                System.exit(2);
            } else {
                positional.add(arg);
            }
        }
        long orders = positional.size() > 0 ? Long.parseLong(positional.get(0)) : DEFAULT_ORDERS;
        StateDirs.StateDir stateDir =
                StateDirs.StateDir.givenOr(positional.size() > 1 ? positional.get(1) : null, "weir-orders-revenue-");
        int status;
        try {
            status = run(new Options(orders, stateDir.path(), kill, CRASH_AT_COMMIT, -1), System.out);
        } finally {
            stateDir.release();
        }
        System.exit(status);
    }

    /** Runs the two children; returns the second one's exit status (or the first one's, if it failed). */
    static int run(Options options, PrintStream out) throws IOException, InterruptedException {
        out.printf(
                "Orders -> revenue per customer, exactly_once_v2, %,d orders, embedded broker; state in %s%n",
                options.orders(), options.stateDir());
        List<String> crash = List.of();
        if (options.kill() == Kill.CRASH_POINT) {
            crash = List.of("-D" + CRASH_PROPERTY + "=after-broker-commit:" + options.crashAtCommit());
            out.printf(
                    "run 1: Runtime.halt at its commit %d, once the broker committed and before the store did (%s; "
                            + "--sigkill kills it instead)%n",
                    options.crashAtCommit(), CRASH_PROPERTY);
        } else {
            out.println("run 1: killed with SIGKILL (Process.destroyForcibly) once halfway");
        }
        Child first = Child.run(1, options, crash, out);
        if (first.status == 0) {
            out.println("run 1: finished before it was killed; nothing to recover (give it more orders)");
        } else if (first.status == HALT_STATUS || first.killed) {
            out.printf(
                    "run 1: %s (exit %d) about %.0f%% through%n",
                    first.killed ? "killed" : "halted", first.status, 100 * first.progress);
        } else {
            out.printf("run 1: FAILED with exit %d%n", first.status);
            return first.status;
        }

        Child second = Child.run(2, options, List.of(), out);
        Map<String, Long> stats = second.stats;
        if (stats.containsKey("runningMs")) {
            long changelog = stats.get("changelog");
            long replayed = stats.get("replayed");
            out.printf(
                    "Restart: broker reopened in %d ms, RUNNING %d ms after start(), %,d of %,d changelog records "
                            + "replayed (%.1f%%)%n",
                    stats.get("brokerOpenMs"),
                    stats.get("runningMs"),
                    replayed,
                    changelog,
                    changelog == 0 ? 0.0 : 100.0 * replayed / changelog);
            if (replayed == 0 && changelog > 0 && first.status != 0) {
                out.println("(the interrupted commit had written nothing to the store's changelog: only the "
                        + "repartition step had work in it)");
            }
        }
        return second.status;
    }

    /** One run of the application in a child JVM, its output relayed line by line. */
    private static final class Child {
        private final Map<String, Long> stats = new HashMap<>();
        private double progress;
        private boolean killed;
        private int status;

        static Child run(int n, Options options, List<String> properties, PrintStream out)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens",
                    "java.base/java.nio=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/sun.nio.ch=ALL-UNNAMED",
                    "-Xmx1g",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            command.addAll(properties);
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    OrdersRevenueApp.class.getName(),
                    options.stateDir().toString(),
                    Long.toString(options.orders()),
                    Long.toString(options.commitIntervalMs())));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            Child child = new Child();
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    child.take(line, n, options, process, out);
                }
            } catch (IOException e) {
                if (!child.killed) {
                    throw e;
                } // destroyForcibly closed the pipe under the read
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
            child.status = process.waitFor();
            return child;
        }

        private void take(String line, int n, Options options, Process process, PrintStream out) {
            if (line.startsWith("#progress ")) {
                progress = Double.parseDouble(line.substring("#progress ".length()));
                if (n == 1 && options.kill() == Kill.SIGKILL && progress >= 0.5 && !killed) {
                    killed = true;
                    process.destroyForcibly();
                }
            } else if (line.startsWith("#stats ")) {
                for (String pair : line.substring("#stats ".length()).split(" ")) {
                    String[] kv = pair.split("=", 2);
                    stats.put(kv[0], Long.parseLong(kv[1]));
                }
            } else {
                out.printf("  [run %d] %s%n", n, line);
            }
        }
    }
}
