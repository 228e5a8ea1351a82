package io.weir.bench.broker;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatchBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * How long an embedded broker takes to open a data directory in a fresh JVM, after {@code kill -9} and after a
 * clean shutdown (issue 19 §2), for a grid of partition counts and data sizes. Each cell: a child JVM creates a
 * topic, writes the data through the broker's produce path (acks=1, the default {@code os} flush policy, so
 * the tail since the last recovery point is whatever the periodic flush left) and halts as {@code kill -9}
 * would; then {@code runs} child JVMs each open the directory, print how long {@link EmbeddedBroker#open} took
 * and how long since their JVM started, and halt again (so every run finds a crashed directory); then
 * {@code runs} more open and close cleanly. Medians and ranges are printed per cell.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.BrokerOpenBenchmark [runs] [partitions,..] [MiB,..]
 * </pre>
 * Defaults: 5 runs, partitions 1,10,100, sizes 64,1024 MiB. Data goes under {@code weir.bench.dir} (default
 * {@code java.io.tmpdir}), deleted afterwards. The page cache keeps the files warm between runs: this is the
 * CPU and system-call cost of opening, not the disk's.
 */
public final class BrokerOpenBenchmark {
    private static final String TOPIC = "open-bench";
    private static final int RECORDS_PER_BATCH = 100;
    private static final int VALUE_BYTES = 100;

    private BrokerOpenBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Integer> partitionCounts = ints(args.length > 1 ? args[1] : "1,10,100");
        List<Integer> sizes = ints(args.length > 2 ? args[2] : "64,1024");
        Path base = Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir")));
        System.out.printf(
                Locale.ROOT,
                "%-11s %-8s %-7s %12s %16s %16s%n",
                "partitions",
                "MiB",
                "state",
                "open ms",
                "open range",
                "JVM start→open");
        for (int partitions : partitionCounts) {
            for (int mib : sizes) {
                Path dir = Files.createTempDirectory(base, "weir-open-bench");
                try {
                    spawn("write", dir, Integer.toString(partitions), Integer.toString(mib));
                    report(partitions, mib, "crash", measure(runs, dir, "open-crash"));
                    spawn("open-close", dir);
                    report(partitions, mib, "clean", measure(runs, dir, "open-close"));
                } finally {
                    deleteRecursively(dir);
                }
            }
        }
    }

    private static void child(String[] args) throws Exception {
        String mode = args[1];
        Path dir = Path.of(args[2]);
        long start = System.nanoTime();
        EmbeddedBroker broker = EmbeddedBroker.open(Map.of(BrokerConfig.LOG_DIRS, dir.toString()));
        long openNanos = System.nanoTime() - start;
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        switch (mode) {
            case "write" -> {
                write(broker.api(), Integer.parseInt(args[3]), (long) Integer.parseInt(args[4]) << 20);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            case "open-crash" -> {
                System.out.printf(Locale.ROOT, "open %d %d%n", openNanos / 1000, uptime);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            case "open-close" -> {
                broker.close();
                System.out.printf(Locale.ROOT, "open %d %d%n", openNanos / 1000, uptime);
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static void write(BrokerApi api, int partitions, long bytes) throws Exception {
        api.createTopics(new CreateTopicsRequest(
                        List.of(new CreateTopicsRequest.NewTopicSpec(TOPIC, partitions, Map.of("retention.ms", "-1"))),
                        false))
                .get();
        SplittableRandom random = new SplittableRandom(19);
        byte[] value = new byte[VALUE_BYTES];
        ArrayDeque<CompletableFuture<ProduceResponse>> inFlight = new ArrayDeque<>();
        long written = 0;
        int partition = 0;
        while (written < bytes) {
            RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, -1L, (short) -1, -1, false);
            for (int r = 0; r < RECORDS_PER_BATCH; r++) {
                random.nextBytes(value);
                builder.append(System.currentTimeMillis(), null, value, new Header[0]);
            }
            ByteBuffer batch = builder.build();
            written += batch.remaining();
            inFlight.add(api.produce(
                    new ProduceRequest((short) 1, 30_000, null, Map.of(new TopicPartition(TOPIC, partition), batch))));
            partition = (partition + 1) % partitions;
            if (inFlight.size() >= 64) {
                inFlight.poll().get();
            }
        }
        for (CompletableFuture<ProduceResponse> f : inFlight) {
            f.get();
        }
    }

    private static List<long[]> measure(int runs, Path dir, String mode) throws Exception {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String line = spawn(mode, dir);
            String[] parts = line.trim().split(" ");
            out.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
        }
        return out;
    }

    /** Runs a child JVM and returns the line it printed that starts with "open", or "" for the writer. */
    private static String spawn(String mode, Path dir, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "java.base/java.nio=ALL-UNNAMED",
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                BrokerOpenBenchmark.class.getName(),
                "child",
                mode,
                dir.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String found = "";
        StringBuilder all = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("open ")) {
                    found = line;
                }
            }
        }
        int code = process.waitFor();
        boolean halted = !mode.equals("open-close");
        if ((halted && code != 137) || (!halted && code != 0) || (!mode.equals("write") && found.isEmpty())) {
            throw new IllegalStateException("child " + mode + " exited " + code + ":\n" + all);
        }
        return found;
    }

    private static void report(int partitions, int mib, String state, List<long[]> runs) {
        List<Long> open = runs.stream().map(r -> r[0]).sorted().toList();
        List<Long> uptime = runs.stream().map(r -> r[1]).sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "%-11d %-8d %-7s %12.1f %16s %13d ms%n",
                partitions,
                mib,
                state,
                open.get(open.size() / 2) / 1000.0,
                String.format(Locale.ROOT, "%.1f .. %.1f", open.get(0) / 1000.0, open.get(open.size() - 1) / 1000.0),
                uptime.get(uptime.size() / 2));
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
