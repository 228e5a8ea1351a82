package io.weir.bench.streams;

import io.weir.clients.consumer.Consumer;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Kafka Streams' {@code CountBench} on Weir: {@code groupByKey().count()} over {@code records} pre-loaded records on
 * {@code keys} keys in 4 partitions, one stream thread, on the embedded broker {@code WeirStreams} opens itself,
 * measured exactly as CountBench measures it: from {@code start()} until a {@code read_committed} reader of the
 * output, positioned before the start, has seen for every key a latest count such that the counts add up to
 * {@code records} (the output reflects all input). It also reports, as CountBench does, start → RUNNING and start →
 * every record through the topology.
 *
 * <pre>
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx2g \
 *   -cp benchmarks/target/benchmarks.jar io.weir.bench.streams.StreamsCountBenchmark [repeats] [records] [keys] [default-commit-runs]
 * </pre>
 *
 * Defaults 5, 1,000,000, 10,000, 1. Each repetition runs {@code at_least_once} and {@code exactly_once_v2}, both with
 * {@code commit.interval.ms=100}, alternating which goes first, each on a fresh state directory and broker with the
 * input written before {@code start()}; a warm-up pair runs first and is printed but not counted. The summary gives
 * the median and range of each rate and of the per-pair ratio exactly_once_v2 ÷ at_least_once. Then
 * {@code default-commit-runs} runs of {@code at_least_once} at its default {@code commit.interval.ms} (30 s, so the
 * output appears with the first commit, as in Kafka Streams). {@code -Dweir.bench.flush} sets the broker's flush
 * policy (default {@code os}); {@code -Dweir.bench.jfr=<dir>} records each measured run (start to output) with JFR,
 * execution samples every 1 ms, to {@code <dir>/<guarantee>-<n>.jfr}; {@code -Dweir.bench.only=exactly_once_v2}
 * runs one guarantee only (for profiling).
 */
public final class StreamsCountBenchmark {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(300);

    private StreamsCountBenchmark() {}

    /** One run's figures, times in seconds from {@code start()}. */
    record Result(
            String guarantee,
            Long commitMs,
            long records,
            double running,
            double processed,
            double output,
            long outputRecords,
            int keysSeen,
            boolean exact) {
        double rate() {
            return records / output;
        }

        String label() {
            return String.format(
                    Locale.ROOT, "%-15s commit=%s", guarantee, commitMs == null ? "default" : commitMs + "ms");
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%-30s running %5.2f s  processed %6.2f s (%,10.0f rec/s)  output %6.2f s (%,10.0f rec/s)"
                            + "  output records %,d, keys %,d%s",
                    label(),
                    running,
                    processed,
                    records / processed,
                    output,
                    rate(),
                    outputRecords,
                    keysSeen,
                    exact ? "" : "  COUNTS WRONG");
        }
    }

    public static void main(String[] args) throws Exception {
        CountWorkload.quietLogs();
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int keyCount = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int defaultCommitRuns = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        String only = System.getProperty("weir.bench.only");
        String[] keys = CountWorkload.keys(keyCount);
        System.out.printf(
                Locale.ROOT,
                "groupByKey().count(): %,d records, %,d keys, %d partitions, 1 stream thread; embedded broker, "
                        + "log.flush.policy=%s; %d cores, java %s%n",
                records,
                keyCount,
                CountWorkload.PARTITIONS,
                CountWorkload.flushPolicy(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        List<String> guarantees =
                only != null ? List.of(only) : List.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2);
        for (String guarantee : guarantees) {
            System.out.println(
                    "warm-up " + run(guarantee, 100L, records, keys, null) + "  " + CountWorkload.machineLoad());
        }
        List<Result> alos = new ArrayList<>();
        List<Result> eos = new ArrayList<>();
        for (int rep = 1; rep <= repeats; rep++) {
            List<String> order = new ArrayList<>(guarantees);
            if (rep % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (String guarantee : order) {
                Result result = run(guarantee, 100L, records, keys, jfrFile(guarantee, rep));
                System.out.println("run " + rep + "   " + result + "  " + CountWorkload.machineLoad());
                (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) ? eos : alos).add(result);
            }
        }
        System.out.println();
        summarize(alos);
        summarize(eos);
        if (!alos.isEmpty() && !eos.isEmpty()) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                ratios.add(eos.get(i).rate() / alos.get(i).rate());
            }
            CountWorkload.Spread r = CountWorkload.Spread.of(ratios);
            System.out.printf(
                    Locale.ROOT,
                    "ratio exactly_once_v2 ÷ at_least_once (commit 100 ms), per pair: median %.3f (%.3f–%.3f) [%s]%n",
                    r.median(),
                    r.min(),
                    r.max(),
                    ratios.stream()
                            .map(v -> String.format(Locale.ROOT, "%.3f", v))
                            .collect(Collectors.joining(" ")));
        }
        if (only == null) {
            List<Result> defaults = new ArrayList<>();
            for (int i = 0; i < defaultCommitRuns; i++) {
                Result result = run(StreamsConfig.AT_LEAST_ONCE, null, records, keys, null);
                System.out.println("run " + (i + 1) + "   " + result + "  " + CountWorkload.machineLoad());
                defaults.add(result);
            }
            if (!defaults.isEmpty()) {
                summarize(defaults);
            }
        }
    }

    private static Path jfrFile(String guarantee, int rep) throws Exception {
        String dir = System.getProperty("weir.bench.jfr");
        if (dir == null) {
            return null;
        }
        Files.createDirectories(Path.of(dir));
        return Path.of(dir, guarantee + "-" + rep + ".jfr");
    }

    private static void summarize(List<Result> results) {
        if (results.isEmpty()) {
            return;
        }
        CountWorkload.Spread rate =
                CountWorkload.Spread.of(results.stream().map(Result::rate).toList());
        CountWorkload.Spread running =
                CountWorkload.Spread.of(results.stream().map(Result::running).toList());
        System.out.printf(
                Locale.ROOT,
                "%-30s %d runs: median %,10.0f rec/s (%,.0f–%,.0f) to committed output; start→RUNNING median %.2f s%n",
                results.get(0).label(),
                results.size(),
                rate.median(),
                rate.min(),
                rate.max(),
                running.median());
    }

    /** One run on a fresh state directory (and so a fresh embedded broker). */
    static Result run(String guarantee, Long commitMs, int records, String[] keys, Path jfr) throws Exception {
        Path dir = CountWorkload.tempDir("weir-count-");
        AtomicLong processed = new AtomicLong();
        try (WeirStreams streams = new WeirStreams(
                CountWorkload.topology(processed), CountWorkload.props(dir, "count-bench", guarantee, commitMs))) {
            String bootstrap = streams.bootstrapServers();
            CountWorkload.createTopics(bootstrap, CountWorkload.INPUT, CountWorkload.OUTPUT);
            CountWorkload.produce(bootstrap, keys, 0, records);
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            CountWorkload.LatestCounts counts = new CountWorkload.LatestCounts();
            long tRunning = -1;
            long tProcessed = -1;
            long tOutput = -1;
            long t0;
            try (Consumer<String, Long> reader = CountWorkload.committedReader(bootstrap, CountWorkload.OUTPUT);
                    Profile profile = Profile.start(jfr)) {
                System.gc(); // the input's garbage is not the run's
                t0 = System.nanoTime();
                streams.start();
                long deadline = t0 + RUN_LIMIT.toNanos();
                while (System.nanoTime() < deadline) {
                    if (tRunning < 0 && running.getCount() == 0) {
                        tRunning = System.nanoTime();
                    }
                    if (tProcessed < 0 && processed.get() >= records) {
                        tProcessed = System.nanoTime();
                    }
                    long sum = counts.add(reader.poll(Duration.ofMillis(20)));
                    if (tProcessed < 0 && processed.get() >= records) {
                        tProcessed = System.nanoTime();
                    }
                    if (sum >= records) {
                        tOutput = System.nanoTime();
                        break;
                    }
                }
                if (tRunning < 0 && running.await(0, TimeUnit.MILLISECONDS)) {
                    tRunning = System.nanoTime();
                }
            }
            if (tOutput < 0) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%s commit=%s: no complete output within %s; processed %d, output sum %d over %d keys",
                        guarantee,
                        commitMs,
                        RUN_LIMIT,
                        processed.get(),
                        counts.sum(),
                        counts.keys()));
            }
            long perKey = records / keys.length;
            boolean exact = counts.sum() == records
                    && counts.keys() == Math.min(records, keys.length)
                    && (records % keys.length != 0
                            || counts.latest().values().stream().allMatch(c -> c == perKey));
            return new Result(
                    guarantee,
                    commitMs,
                    records,
                    (tRunning - t0) / 1e9,
                    (tProcessed - t0) / 1e9,
                    (tOutput - t0) / 1e9,
                    counts.records(),
                    counts.keys(),
                    exact);
        } finally {
            CountWorkload.delete(dir);
        }
    }

    /** A JFR recording of the measured window, or nothing. */
    private static final class Profile implements AutoCloseable {
        private final Recording recording;
        private final Path file;

        private Profile(Recording recording, Path file) {
            this.recording = recording;
            this.file = file;
        }

        static Profile start(Path file) throws Exception {
            if (file == null) {
                return new Profile(null, null);
            }
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            // 1 ms instead of the profile's 10 ms: a run lasts about a second
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            return new Profile(recording, file);
        }

        @Override
        public void close() throws Exception {
            if (recording != null) {
                recording.stop();
                recording.dump(file);
                recording.close();
            }
        }
    }
}
