package io.weir.bench.streams;

import io.weir.bench.peer.KafkaPeer;
import io.weir.bench.peer.PeerWorkload;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A streams workload ({@link PeerWorkload}: a tumbling-window count, or a stream-stream join) on Weir and on Kafka
 * Streams 4.1 in the same run, back to back: Weir in this JVM on the embedded broker {@code WeirStreams} opens itself
 * (a fresh one per run, input written before {@code start()}, as {@link StreamsCountBenchmark}); Kafka Streams in one
 * child JVM for the whole run against Apache Kafka 4.1's broker in another ({@link KafkaPeer}: from the Kafka jars
 * Maven resolved, nothing installed), input written once, a new application id and output topic per run. Both are
 * timed alike: from {@code start()} until a {@code read_committed} reader of the output, positioned before the start,
 * has seen output reflecting every input record ({@link Output}).
 *
 * <pre>
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx2g \
 *   -cp benchmarks/target/benchmarks.jar io.weir.bench.streams.StreamsPeerBenchmark \
 *   [windowed-count|join] [repeats] [records] [keys] [windows] [join-ms]
 * </pre>
 *
 * Defaults: windowed-count, 3 repeats, 1,000,000 records, 10,000 keys, 20 windows (join: 200,000 records on each side,
 * so a key's records are a minute apart and each left record meets 3 right ones within ±60 s). Each guarantee ({@code at_least_once}, {@code exactly_once_v2}, both at
 * {@code commit.interval.ms=100}) first runs a warm-up on each side (printed, not counted); then each repetition runs
 * both guarantees on both sides, alternating which guarantee and which side go first. The summary gives each side's
 * median and range and the per-pair ratio Weir ÷ Kafka Streams. A workload Weir cannot run yet (the join, until
 * {@code KStream.join(KStream)} lands: {@link PeerTopologies#weir}) runs on Kafka Streams alone;
 * {@code -Dweir.bench.weir.only=true} runs Weir's side alone (for profiling it).
 */
public final class StreamsPeerBenchmark {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(600);
    private static final long COMMIT_MS = 100L;

    private StreamsPeerBenchmark() {}

    public static void main(String[] args) throws Exception {
        CountWorkload.quietLogs();
        PeerWorkload.Kind kind = PeerWorkload.Kind.of(args.length > 0 ? args[0] : "windowed-count");
        boolean join = kind == PeerWorkload.Kind.JOIN;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long records = args.length > 2 ? Long.parseLong(args[2]) : join ? 200_000 : 1_000_000;
        int keys = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        int windows = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        long joinMs = args.length > 5 ? Long.parseLong(args[5]) : 60_000;
        PeerWorkload workload = PeerWorkload.recent(kind, records, keys, windows, joinMs);
        boolean weirCan = PeerTopologies.weir(workload, PeerWorkload.OUTPUT, new AtomicLong())
                .isPresent();
        System.out.printf(
                Locale.ROOT,
                "%s; 1 stream thread, commit.interval.ms=%d; Weir: embedded broker, log.flush.policy=%s; "
                        + "%d cores, java %s, %s%n",
                workload,
                COMMIT_MS,
                CountWorkload.flushPolicy(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                CountWorkload.machineLoad());
        if (!weirCan) {
            System.out.println("Weir cannot run this workload yet (see PeerTopologies.weir): Kafka Streams only");
        }
        Path root = CountWorkload.tempDir("weir-peer-bench-");
        if (Boolean.getBoolean("weir.bench.weir.only")) { // for profiling Weir's side alone
            try {
                new StreamsPeerBenchmark.Session(workload, CountWorkload.keys(keys), null, null, root, weirCan)
                        .run(repeats);
            } finally {
                CountWorkload.delete(root);
            }
            return;
        }
        try (KafkaPeer kafka = KafkaPeer.start(root)) {
            System.out.printf(
                    "Apache Kafka 4.1 broker at %s started in %d ms%n",
                    kafka.bootstrapServers(), kafka.startupMillis());
            String[] keyNames = CountWorkload.keys(keys);
            CountWorkload.createTopics(kafka.bootstrapServers(), kind.inputs().toArray(new String[0]));
            for (String topic : kind.inputs()) {
                double s = CountWorkload.produce(
                        kafka.bootstrapServers(), topic, keyNames, 0, records, workload::timestamp);
                System.out.printf(Locale.ROOT, "loaded %,d records into Kafka's %s in %.1f s%n", records, topic, s);
            }
            try (KafkaPeer.StreamsChild child = kafka.startStreams(root.resolve("kafka-streams"))) {
                new StreamsPeerBenchmark.Session(workload, keyNames, kafka, child, root, weirCan).run(repeats);
            }
        } finally {
            CountWorkload.delete(root);
        }
    }

    /** One benchmark's runs and their results, by side and guarantee. */
    private static final class Session {
        private final PeerWorkload workload;
        private final String[] keys;
        private final KafkaPeer kafka;
        private final KafkaPeer.StreamsChild child;
        private final Path root;
        private final boolean weirCan;
        private final Map<String, List<StreamsCountBenchmark.Result>> results = new LinkedHashMap<>();
        private int kafkaRuns;

        Session(
                PeerWorkload workload,
                String[] keys,
                KafkaPeer kafka,
                KafkaPeer.StreamsChild child,
                Path root,
                boolean weirCan) {
            this.workload = workload;
            this.keys = keys;
            this.kafka = kafka;
            this.child = child;
            this.root = root;
            this.weirCan = weirCan;
        }

        void run(int repeats) throws Exception {
            List<String> guarantees = List.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2);
            for (String guarantee : guarantees) {
                if (weirCan) {
                    System.out.println("warm-up Weir         " + weir(guarantee) + "  " + CountWorkload.machineLoad());
                }
                if (kafka != null) {
                    System.out.println(
                            "warm-up Kafka Streams " + kafka(guarantee) + "  " + CountWorkload.machineLoad());
                }
            }
            for (int rep = 1; rep <= repeats; rep++) {
                List<String> order = new ArrayList<>(guarantees);
                if (rep % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String guarantee : order) {
                    boolean weirFirst = (rep + order.indexOf(guarantee)) % 2 == 1;
                    if (weirFirst && weirCan) {
                        record(rep, "Weir", guarantee, weir(guarantee));
                    }
                    if (kafka != null) {
                        record(rep, "Kafka Streams", guarantee, kafka(guarantee));
                    }
                    if (!weirFirst && weirCan) {
                        record(rep, "Weir", guarantee, weir(guarantee));
                    }
                }
            }
            summarize(guarantees);
        }

        private void record(int rep, String side, String guarantee, StreamsCountBenchmark.Result result) {
            System.out.printf(Locale.ROOT, "run %d %-13s %s  %s%n", rep, side, result, CountWorkload.machineLoad());
            results.computeIfAbsent(side + " " + guarantee, k -> new ArrayList<>())
                    .add(result);
        }

        private void summarize(List<String> guarantees) {
            System.out.println();
            for (String guarantee : guarantees) {
                List<StreamsCountBenchmark.Result> kafkaResults =
                        results.getOrDefault("Kafka Streams " + guarantee, List.of());
                List<StreamsCountBenchmark.Result> weirResults = results.getOrDefault("Weir " + guarantee, List.of());
                line("Weir", weirResults);
                line("Kafka Streams", kafkaResults);
                if (!weirResults.isEmpty() && weirResults.size() == kafkaResults.size()) {
                    List<Double> ratios = new ArrayList<>();
                    for (int i = 0; i < weirResults.size(); i++) {
                        ratios.add(
                                weirResults.get(i).rate() / kafkaResults.get(i).rate());
                    }
                    CountWorkload.Spread r = CountWorkload.Spread.of(ratios);
                    System.out.printf(
                            Locale.ROOT,
                            "ratio Weir ÷ Kafka Streams, %s, per pair: median %.2f (%.2f–%.2f) [%s]%n",
                            guarantee,
                            r.median(),
                            r.min(),
                            r.max(),
                            ratios.stream()
                                    .map(v -> String.format(Locale.ROOT, "%.2f", v))
                                    .collect(Collectors.joining(" ")));
                }
            }
        }

        private static void line(String side, List<StreamsCountBenchmark.Result> runs) {
            if (runs.isEmpty()) {
                return;
            }
            CountWorkload.Spread rate = CountWorkload.Spread.of(
                    runs.stream().map(StreamsCountBenchmark.Result::rate).toList());
            System.out.printf(
                    Locale.ROOT,
                    "%-13s %-30s %d runs: median %,10.0f rec/s (%,.0f–%,.0f) to committed output%s%n",
                    side,
                    runs.get(0).label(),
                    runs.size(),
                    rate.median(),
                    rate.min(),
                    rate.max(),
                    runs.stream().allMatch(StreamsCountBenchmark.Result::exact) ? "" : ", SOME OUTPUT WRONG");
        }

        /** One Weir run on a fresh state directory, and so a fresh embedded broker holding only this run's input. */
        private StreamsCountBenchmark.Result weir(String guarantee) throws Exception {
            Path dir = CountWorkload.tempDir("weir-peer-");
            AtomicLong processed = new AtomicLong();
            Topology topology = PeerTopologies.weir(workload, PeerWorkload.OUTPUT, processed)
                    .orElseThrow();
            try (WeirStreams streams =
                    new WeirStreams(topology, CountWorkload.props(dir, "peer-bench", guarantee, COMMIT_MS))) {
                String bootstrap = streams.bootstrapServers();
                List<String> topics = new ArrayList<>(workload.kind().inputs());
                topics.add(PeerWorkload.OUTPUT);
                CountWorkload.createTopics(bootstrap, topics.toArray(new String[0]));
                for (String topic : workload.kind().inputs()) {
                    CountWorkload.produce(bootstrap, topic, keys, 0, workload.records(), workload::timestamp);
                }
                CountDownLatch running = new CountDownLatch(1);
                streams.setStateListener((now, before) -> {
                    if (now == WeirStreams.State.RUNNING) {
                        running.countDown();
                    }
                });
                try (Consumer<String, Long> reader = CountWorkload.committedReader(bootstrap, PeerWorkload.OUTPUT)) {
                    Output output = new Output(workload);
                    System.gc(); // the input's garbage is not the run's
                    long t0 = System.nanoTime();
                    streams.start();
                    long tRunning = -1;
                    long tProcessed = -1;
                    long deadline = t0 + RUN_LIMIT.toNanos();
                    long tOutput = -1;
                    while (System.nanoTime() < deadline) {
                        if (tRunning < 0 && running.getCount() == 0) {
                            tRunning = System.nanoTime();
                        }
                        if (tProcessed < 0 && processed.get() >= workload.inputRecords()) {
                            tProcessed = System.nanoTime();
                        }
                        if (output.add(reader.poll(Duration.ofMillis(20)))) {
                            tOutput = System.nanoTime();
                            break;
                        }
                    }
                    if (tProcessed < 0 && processed.get() >= workload.inputRecords()) {
                        tProcessed = System.nanoTime();
                    }
                    output.requireDone("Weir " + guarantee, tOutput, processed.get());
                    return output.result(
                            guarantee, (tRunning - t0) / 1e9, (tProcessed - t0) / 1e9, (tOutput - t0) / 1e9);
                }
            } finally {
                CountWorkload.delete(dir);
            }
        }

        /** One Kafka Streams run in the child: a new application id and output topic over the input loaded once. */
        private StreamsCountBenchmark.Result kafka(String guarantee) throws Exception {
            int n = ++kafkaRuns;
            String output = PeerWorkload.OUTPUT + "-" + n;
            String bootstrap = kafka.bootstrapServers();
            CountWorkload.createTopics(bootstrap, output);
            child.send(String.join(
                    " ", "prepare", guarantee, Long.toString(COMMIT_MS), "peer-bench-" + n, output, workload.toArgs()));
            child.await("READY");
            Output check = new Output(workload);
            long t0;
            long tOutput = -1;
            try (Consumer<String, Long> reader = CountWorkload.committedReader(bootstrap, output)) {
                System.gc(); // as for Weir: this JVM's garbage does not weigh on the run
                t0 = System.nanoTime();
                child.send("start");
                long deadline = t0 + RUN_LIMIT.toNanos();
                while (System.nanoTime() < deadline) {
                    if (check.add(reader.poll(Duration.ofMillis(20)))) {
                        tOutput = System.nanoTime();
                        break;
                    }
                }
            }
            check.requireDone("Kafka Streams " + guarantee, tOutput, -1);
            double running = seconds(child.await("RUNNING"));
            double processed = seconds(child.await("PROCESSED"));
            child.send("close");
            child.await("CLOSED");
            return check.result(guarantee, running, processed, (tOutput - t0) / 1e9);
        }

        private static double seconds(String line) {
            return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
    }

    /**
     * What the output must reach. Windowed count: the latest count of every {@code key@window} adds up to the input
     * (exact when the windows seen are those the input holds). Join: as many results as {@link
     * PeerWorkload#expectedJoinResults()} (exact when no more).
     */
    private static final class Output {
        private final PeerWorkload workload;
        private final CountWorkload.LatestCounts counts = new CountWorkload.LatestCounts();
        private final long target;
        private final long windowsInInput;

        Output(PeerWorkload workload) {
            this.workload = workload;
            boolean join = workload.kind() == PeerWorkload.Kind.JOIN;
            this.target = join ? workload.expectedJoinResults() : workload.records();
            this.windowsInInput = join ? 0 : windowsInInput(workload);
        }

        private static long windowsInInput(PeerWorkload w) {
            Set<Long> windows = new HashSet<>();
            for (long i = 0; i < w.records(); i++) {
                long window = (w.timestamp(i) - w.base()) / PeerWorkload.WINDOW_MS;
                windows.add(window * w.keys() + i % w.keys());
            }
            return windows.size();
        }

        /** Takes one poll's records; true once the output reflects every input record. */
        boolean add(Iterable<ConsumerRecord<String, Long>> polled) {
            long sum = counts.add(polled);
            return workload.kind() == PeerWorkload.Kind.JOIN ? counts.records() >= target : sum >= target;
        }

        boolean exact() {
            return workload.kind() == PeerWorkload.Kind.JOIN
                    ? counts.records() == target
                    : counts.sum() == target && counts.keys() == windowsInInput;
        }

        void requireDone(String what, long tOutput, long processed) {
            if (tOutput < 0) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%s: no complete output within %s; processed %d, output records %d, latest values sum %d, "
                                + "target %d",
                        what,
                        RUN_LIMIT,
                        processed,
                        counts.records(),
                        counts.sum(),
                        target));
            }
        }

        StreamsCountBenchmark.Result result(String guarantee, double running, double processed, double output) {
            return new StreamsCountBenchmark.Result(
                    guarantee,
                    COMMIT_MS,
                    workload.inputRecords(),
                    running,
                    processed,
                    output,
                    counts.records(),
                    counts.keys(),
                    exact());
        }
    }
}
