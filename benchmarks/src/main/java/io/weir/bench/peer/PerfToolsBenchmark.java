package io.weir.bench.peer;

import io.weir.bench.Spread;
import io.weir.bench.peer.PerfTools.ConsumerRun;
import io.weir.bench.peer.PerfTools.Mode;
import io.weir.bench.peer.PerfTools.ProducerRun;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Kafka's own {@code ProducerPerformance} and {@code ConsumerPerformance} ({@link PerfTools}) against a standalone Weir
 * broker's listener ({@link WeirPeer}) and against Apache Kafka 4.1's broker ({@link KafkaPeer}), both child JVMs with
 * the same heap and GC settings and neither fsyncing each write, back to back in one run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.peer.PerfToolsBenchmark [cases] [runs] [records-100B] [records-1KB]
 * </pre>
 *
 * {@code cases}: a comma-separated list of {@code 100B-idempotent}, {@code 100B-transactional}, {@code
 * 1KB-idempotent}, {@code 1KB-transactional} (default: all four); {@code runs} per side (default 3); records per
 * producer run (defaults 1,000,000 and 300,000). Each case: one warm-up run on each broker (a quarter of the records,
 * not reported), then {@code runs} pairs alternating which broker goes first. A run produces to a new one-partition
 * topic with {@code acks=all} and idempotence (transactional: a commit every 100 ms), then a new group reads it all back
 * {@code read_committed}, and the topic is deleted. Prints every run, then for each case the medians and ranges of
 * each side and of the per-pair ratio Weir ÷ Kafka, on lines starting {@code RESULT}.
 */
public final class PerfToolsBenchmark {
    private PerfToolsBenchmark() {}

    record Case(int recordBytes, Mode mode, int records) {
        String label() {
            return (recordBytes >= 1024 ? recordBytes / 1024 + " KB" : recordBytes + " B") + " " + mode.label;
        }

        String topicPrefix() {
            return (recordBytes >= 1024 ? recordBytes / 1024 + "kb" : recordBytes + "b") + "-" + mode.label;
        }
    }

    /** A broker the tools are pointed at, and Weir's network admin for its topics. */
    private record Side(String name, String bootstrap, Admin admin) {}

    private record Run(ProducerRun producer, ConsumerRun consumer) {}

    public static void main(String[] args) throws Exception {
        // kafka-clients (Weir's network admin) logs every client's configuration at INFO.
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        List<String> names = Arrays.asList(
                (args.length > 0 ? args[0] : "100B-idempotent,100B-transactional,1KB-idempotent,1KB-transactional")
                        .split(","));
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int n100 = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int n1k = args.length > 3 ? Integer.parseInt(args[3]) : 300_000;
        List<Case> cases = new ArrayList<>();
        for (String name : names) {
            cases.add(parse(name.trim(), n100, n1k));
        }
        Path work = Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), "perf-tools-");
        System.out.println("load average at start: " + loadAverage());
        try (WeirPeer weirBroker = WeirPeer.start(work);
                KafkaPeer kafkaBroker = KafkaPeer.start(work);
                Admin weirAdmin = Admin.create(Map.of("bootstrap.servers", weirBroker.bootstrapServers()));
                Admin kafkaAdmin = Admin.create(Map.of("bootstrap.servers", kafkaBroker.bootstrapServers()))) {
            System.out.printf(
                    Locale.ROOT,
                    "Weir broker (standalone, os flush) at %s, up in %d ms; Apache Kafka 4.1 at %s, up in %d ms%n",
                    weirBroker.bootstrapServers(),
                    weirBroker.startupMillis(),
                    kafkaBroker.bootstrapServers(),
                    kafkaBroker.startupMillis());
            Side weir = new Side("Weir", weirBroker.bootstrapServers(), weirAdmin);
            Side kafka = new Side("Kafka", kafkaBroker.bootstrapServers(), kafkaAdmin);
            List<String> summary = new ArrayList<>();
            for (Case c : cases) {
                summary.addAll(runCase(c, runs, weir, kafka, work));
            }
            System.out.println("load average at end: " + loadAverage());
            summary.forEach(System.out::println);
        } finally {
            KafkaPeer.deleteRecursively(work);
        }
    }

    private static Case parse(String name, int n100, int n1k) {
        String[] parts = name.split("-", 2);
        if (parts.length != 2 || !(parts[0].equals("100B") || parts[0].equals("1KB"))) {
            throw new IllegalArgumentException("Unknown case '" + name + "': expected 100B-<mode> or 1KB-<mode>");
        }
        Mode mode =
                switch (parts[1]) {
                    case "idempotent" -> Mode.IDEMPOTENT;
                    case "transactional" -> Mode.TRANSACTIONAL;
                    default -> throw new IllegalArgumentException(
                            "Unknown mode '" + parts[1] + "' in case '" + name + "': idempotent or transactional");
                };
        return parts[0].equals("100B") ? new Case(100, mode, n100) : new Case(1024, mode, n1k);
    }

    private static List<String> runCase(Case c, int runs, Side weir, Side kafka, Path work) throws Exception {
        System.out.printf(Locale.ROOT, "== %s, %,d records a run%n", c.label(), c.records());
        once(c, kafka, c.topicPrefix() + "-warmup", c.records() / 4, work);
        once(c, weir, c.topicPrefix() + "-warmup", c.records() / 4, work);
        List<Run> weirRuns = new ArrayList<>();
        List<Run> kafkaRuns = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            List<Side> order = r % 2 == 0 ? List.of(weir, kafka) : List.of(kafka, weir);
            for (Side side : order) {
                Run run = once(c, side, c.topicPrefix() + "-r" + r, c.records(), work);
                (side == weir ? weirRuns : kafkaRuns).add(run);
                System.out.printf(
                        Locale.ROOT,
                        "  run %d %-5s producer %,10.0f rec/s %7.1f MB/s p50 %4.0f ms p99 %5.0f ms | consumer %,10.0f"
                                + " rec/s %7.1f MB/s (fetch only %,10.0f rec/s, join %d ms)%n",
                        r,
                        side.name(),
                        run.producer().recordsPerSec(),
                        run.producer().mbPerSec(),
                        run.producer().p50Ms(),
                        run.producer().p99Ms(),
                        run.consumer().recordsPerSec(),
                        run.consumer().mbPerSec(),
                        run.consumer().fetchRecordsPerSec(),
                        run.consumer().rebalanceMs());
            }
        }
        String label = String.format(Locale.ROOT, "RESULT %-17s", c.label());
        return List.of(
                line(
                        label,
                        "producer rec/s",
                        weirRuns,
                        kafkaRuns,
                        r -> r.producer().recordsPerSec(),
                        "%,.0f"),
                line(
                        label,
                        "producer MB/s",
                        weirRuns,
                        kafkaRuns,
                        r -> r.producer().mbPerSec(),
                        "%.1f"),
                line(
                        label,
                        "producer p99 ms",
                        weirRuns,
                        kafkaRuns,
                        r -> r.producer().p99Ms(),
                        "%.0f"),
                line(
                        label,
                        "consumer rec/s",
                        weirRuns,
                        kafkaRuns,
                        r -> r.consumer().recordsPerSec(),
                        "%,.0f"),
                line(
                        label,
                        "consumer MB/s",
                        weirRuns,
                        kafkaRuns,
                        r -> r.consumer().mbPerSec(),
                        "%.1f"),
                line(
                        label,
                        "fetch-only rec/s",
                        weirRuns,
                        kafkaRuns,
                        r -> r.consumer().fetchRecordsPerSec(),
                        "%,.0f"));
    }

    /** Produce, read back, delete: one run on one broker. */
    private static Run once(Case c, Side side, String topic, int records, Path work) throws Exception {
        String name = topic + "-" + side.name().toLowerCase(Locale.ROOT);
        side.admin().createTopics(List.of(new NewTopic(name, 1))).all().get(30, TimeUnit.SECONDS);
        try {
            ProducerRun producer = PerfTools.produce(side.bootstrap(), name, records, c.recordBytes(), c.mode(), work);
            ConsumerRun consumer = PerfTools.consume(side.bootstrap(), name, records, work);
            return new Run(producer, consumer);
        } finally {
            side.admin().deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** One metric: each side's median (min–max) and the median (min–max) of the per-pair ratio Weir ÷ Kafka. */
    private static String line(
            String label, String metric, List<Run> weir, List<Run> kafka, ToDoubleFunction<Run> f, String format) {
        double[] w = weir.stream().mapToDouble(f).toArray();
        double[] k = kafka.stream().mapToDouble(f).toArray();
        double[] ratio = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            ratio[i] = w[i] / k[i];
        }
        return String.format(
                Locale.ROOT,
                "%s %-17s Weir %s | Kafka %s | Weir ÷ Kafka %s (%d pairs)",
                label,
                metric,
                Spread.of(w, format),
                Spread.of(k, format),
                Spread.of(ratio, "%.2f"),
                w.length);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
