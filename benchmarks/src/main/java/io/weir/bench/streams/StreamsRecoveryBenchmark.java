package io.weir.bench.streams;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Recovery after {@code kill -9}: {@link CountProcess}, a count application ({@code exactly_once_v2}, 100 ms
 * commits) holding {@code keys} keys, runs in a child JVM on one state directory (stores and embedded broker), is
 * killed with SIGKILL while it processes, and is started again; each restart reports the time from {@code start()}
 * to RUNNING (the headline: Kafka Streams took 4.4–4.9 s here, as under exactly-once it wipes and restores a store a
 * crash left behind), the constructor's time (opening the embedded broker, which recovers its own log after the
 * kill), the time from launching the JVM to RUNNING as the parent saw it, and the changelog records replayed
 * against the changelog's size. Goal: start → RUNNING &lt; 1 s.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.streams.StreamsRecoveryBenchmark [keys] [kills]
 * </pre>
 * Defaults 1,000,000 and 3. The input, {@code keys × (kills + 1)} records over the keys round-robin, is written
 * before the first start; the first run is killed once it has processed 1.5 × {@code keys} records (every key is in
 * the store and committed), each later one after 0.5 × {@code keys} more, and the run after the last kill processes
 * the rest and checks that every key's committed count is exactly {@code kills + 1} (nothing lost or counted twice
 * across the kills); one more start after that run's clean close is the baseline. {@code -Dweir.bench.child.xmx} sets the child's heap (default 3g), {@code -Dweir.bench.child.log=info} its log level
 * (its lines are then printed).
 */
public final class StreamsRecoveryBenchmark {
    private StreamsRecoveryBenchmark() {}

    /** One restart's figures, in seconds. */
    record Restart(double launchToRunning, double constructor, double startToRunning, long replayed, long changelog) {}

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long records = (long) keys * (kills + 1);
        Path dir = CountWorkload.tempDir("weir-recovery-");
        System.out.printf(
                Locale.ROOT,
                "count over %,d keys, %,d input records, exactly_once_v2, commit.interval.ms=100, embedded broker "
                        + "log.flush.policy=%s, %d kills%n",
                keys,
                records,
                CountWorkload.flushPolicy(),
                kills);
        System.out.println(CountWorkload.machineLoad());
        try {
            List<Restart> restarts = new ArrayList<>();
            Child first = Child.launch(dir, "load", keys, records);
            first.killAfter((long) (1.5 * keys));
            for (int kill = 1; kill <= kills; kill++) {
                boolean last = kill == kills;
                Child next = Child.launch(dir, last ? "finish" : "resume", keys, records);
                Restart restart = next.awaitRunning();
                restarts.add(restart);
                System.out.printf(
                        Locale.ROOT,
                        "restart %d: start→RUNNING %.3f s; constructor (broker open and recovery) %.3f s;"
                                + " launch→RUNNING %.3f s; replayed %,d changelog records of %,d%n",
                        kill,
                        restart.startToRunning(),
                        restart.constructor(),
                        restart.launchToRunning(),
                        restart.replayed(),
                        restart.changelog());
                if (last) {
                    System.out.println("final run: " + next.awaitResult());
                } else {
                    next.killAfter(keys / 2);
                }
            }
            // The same restart after a clean close, as the baseline: nothing to abort, every store at its checkpoint.
            Child clean = Child.launch(dir, "resume", keys, records);
            Restart baseline = clean.awaitRunning();
            clean.kill();
            System.out.printf(
                    Locale.ROOT,
                    "restart after a clean close: start→RUNNING %.3f s; constructor %.3f s; launch→RUNNING %.3f s;"
                            + " replayed %,d%n",
                    baseline.startToRunning(),
                    baseline.constructor(),
                    baseline.launchToRunning(),
                    baseline.replayed());
            CountWorkload.Spread start = CountWorkload.Spread.of(
                    restarts.stream().map(Restart::startToRunning).toList());
            CountWorkload.Spread launch = CountWorkload.Spread.of(
                    restarts.stream().map(Restart::launchToRunning).toList());
            CountWorkload.Spread replayed = CountWorkload.Spread.of(
                    restarts.stream().map(r -> (double) r.replayed()).toList());
            System.out.printf(
                    Locale.ROOT,
                    "%d restarts after kill -9 with %,d keys: start→RUNNING median %.3f s (%.3f–%.3f), goal < 1 s;"
                            + " launch→RUNNING median %.3f s (%.3f–%.3f); replayed median %,.0f (%,.0f–%,.0f)%n",
                    restarts.size(),
                    keys,
                    start.median(),
                    start.min(),
                    start.max(),
                    launch.median(),
                    launch.min(),
                    launch.max(),
                    replayed.median(),
                    replayed.min(),
                    replayed.max());
            System.out.println(CountWorkload.machineLoad());
        } finally {
            CountWorkload.delete(dir);
        }
    }

    /** A {@link CountProcess} in a child JVM, its output lines queued as they come. */
    private static final class Child {
        private static final long LIMIT_MINUTES = 20;
        /** The child's log level; its lines are then echoed. */
        private static final String CHILD_LOG = System.getProperty("weir.bench.child.log");

        private final Process process;
        private final long launched;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private double constructor = -1;
        private Restart running;

        private Child(Process process, long launched) {
            this.process = process;
            this.launched = launched;
            Thread reader = new Thread(this::pump, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child launch(Path dir, String mode, int keys, long records) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--add-opens");
            command.add("java.base/java.nio=ALL-UNNAMED");
            command.add("--add-opens");
            command.add("java.base/sun.nio.ch=ALL-UNNAMED");
            command.add("-Xmx" + System.getProperty("weir.bench.child.xmx", "3g"));
            command.add("-Dweir.bench.flush=" + CountWorkload.flushPolicy());
            if (CHILD_LOG != null) {
                command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + CHILD_LOG);
                command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
                command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CountProcess.class.getName());
            command.add(dir.toString());
            command.add(mode);
            command.add(Integer.toString(keys));
            command.add(Long.toString(records));
            long launched = System.nanoTime();
            return new Child(
                    new ProcessBuilder(command).redirectErrorStream(true).start(), launched);
        }

        private void pump() {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("OUTPUT FAILED " + e);
            } finally {
                lines.add("EXITED");
            }
        }

        /** The next line, noting the constructor's time and passing on other unexpected lines. */
        private String next() throws InterruptedException {
            String line = lines.poll(LIMIT_MINUTES, TimeUnit.MINUTES);
            if (line == null || line.equals("EXITED")) {
                process.destroyForcibly();
                throw new IllegalStateException("The child stopped or hung; its last lines: " + tail());
            }
            if (!line.startsWith("PROCESSED")) {
                seen.add(line);
                if (CHILD_LOG != null) {
                    System.out.println("  child: " + line);
                }
            }
            if (line.startsWith("OPENED ")) {
                constructor = Double.parseDouble(line.substring(7));
            } else if (line.startsWith("LOADED ")) {
                System.out.println("load: " + line.substring(7));
            }
            return line;
        }

        private List<String> tail() {
            return seen.subList(Math.max(0, seen.size() - 20), seen.size());
        }

        Restart awaitRunning() throws InterruptedException {
            if (running != null) {
                return running;
            }
            String line;
            while (!(line = next()).startsWith("RUNNING ")) {
                // OPENED, LOADED, or a warning
            }
            double launchToRunning = (System.nanoTime() - launched) / 1e9;
            String[] f = line.split(" ");
            running = new Restart(
                    launchToRunning, constructor, Double.parseDouble(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
            return running;
        }

        /** Waits until this run is RUNNING and has processed {@code records} records, then kills it with SIGKILL. */
        void killAfter(long records) throws InterruptedException {
            awaitRunning();
            String line;
            while (!(line = next()).startsWith("PROCESSED ") || Long.parseLong(line.substring(10)) < records) {
                // progress
            }
            kill();
            System.out.printf(Locale.ROOT, "killed with SIGKILL after %s records of this run%n", line.substring(10));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The child outlived SIGKILL");
            }
        }

        String awaitResult() throws InterruptedException {
            String line;
            while (!(line = next()).startsWith("RESULT")) {
                // progress
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return line;
        }
    }
}
