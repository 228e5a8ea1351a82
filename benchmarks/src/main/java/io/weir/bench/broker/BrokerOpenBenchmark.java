package io.weir.bench.broker;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.MetadataRequest;
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
import java.util.HashMap;
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
 * {@code runs} more open and close cleanly. Medians and ranges (min..max) are printed per cell.
 *
 * <p>The writer then waits (up to {@code weir.bench.settle.ms}, 5 s; 0 crashes right after the burst) until the
 * background flush has brought the tail under its budget ({@code log.flush.interval.bytes}), as an application that
 * crashes after a quiet moment; {@code tail MiB} is what the crash left to check, measured from the files (the bytes
 * after each partition's checkpointed recovery point). With {@code weir.bench.cds} (default true) one training
 * child writes an application class-data archive ({@code -XX:ArchiveClassesAtExit}) and every cell is measured
 * again with it ({@code -XX:SharedArchiveFile}): the {@code AppCDS} columns.
 *
 * <p>Partition logs open on first use, so each child also reports what an open no longer pays: {@code first use}
 * is the time from the open's return until ListOffsets LATEST has answered for every partition (each log opened,
 * and after a crash recovered from its recovery point); and {@code warm} is a second open of the same directory in
 * the same JVM right after the first was stopped the same way (a crash, or a clean close), which is the broker's
 * own work without the cold JVM's class loading and interpretation.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.BrokerOpenBenchmark [runs] [partitions,..] [MiB,..]
 * </pre>
 * Defaults: 5 runs, partitions 1,10,100, sizes 64,1024 MiB (8192 for the 8 GiB cells). Data goes under {@code weir.bench.dir} (default
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
        boolean cds = Boolean.parseBoolean(System.getProperty("weir.bench.cds", "true"));
        Path archive = base.resolve("weir-open-bench-" + ProcessHandle.current().pid() + ".jsa");
        System.out.printf(
                Locale.ROOT,
                "%-11s %-8s %-9s %-7s %10s %18s %12s %18s %10s %16s %12s %18s%n",
                "partitions",
                "MiB",
                "tail MiB",
                "state",
                "open ms",
                "open range",
                "first use",
                "first-use range",
                "warm ms",
                "JVM start→open",
                "AppCDS open",
                "AppCDS range");
        try {
            for (int partitions : partitionCounts) {
                for (int mib : sizes) {
                    Path dir = Files.createTempDirectory(base, "weir-open-bench");
                    try {
                        spawn("write", dir, List.of(), Integer.toString(partitions), Integer.toString(mib));
                        double tail = tailBytes(dir) / (double) (1 << 20);
                        if (cds && !Files.exists(archive)) {
                            // One training open makes the application class-data archive the AppCDS runs map.
                            spawn("open-close", dir, List.of("-XX:ArchiveClassesAtExit=" + archive));
                        }
                        List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive);
                        List<long[]> crash = measure(runs, dir, "open-crash", List.of());
                        report(
                                partitions,
                                mib,
                                tail,
                                "crash",
                                crash,
                                cds ? measure(runs, dir, "open-crash", withArchive) : null);
                        spawn("open-close", dir, List.of());
                        List<long[]> clean = measure(runs, dir, "open-close", List.of());
                        report(
                                partitions,
                                mib,
                                0,
                                "clean",
                                clean,
                                cds ? measure(runs, dir, "open-close", withArchive) : null);
                    } finally {
                        deleteRecursively(dir);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /**
     * The bytes a recovery after a crash has to check in {@code dir}: per partition, everything after its
     * checkpointed recovery point, found by walking the batch headers of the segment holding it.
     */
    private static long tailBytes(Path dir) throws Exception {
        Map<String, Long> points = new HashMap<>();
        Path checkpoint = dir.resolve("recovery-point-offset-checkpoint");
        if (Files.exists(checkpoint)) {
            List<String> lines = Files.readAllLines(checkpoint);
            for (String line : lines.subList(2, lines.size())) {
                String[] f = line.trim().split(" ");
                points.put(f[0] + "-" + f[1], Long.parseLong(f[2]));
            }
        }
        long tail = 0;
        try (Stream<Path> partitions = Files.list(dir)) {
            for (Path partition : partitions
                    .filter(p -> p.getFileName().toString().startsWith(TOPIC + "-"))
                    .toList()) {
                long recoveryPoint = points.getOrDefault(partition.getFileName().toString(), 0L);
                List<Path> segments;
                try (Stream<Path> files = Files.list(partition)) {
                    segments = files.filter(p -> p.toString().endsWith(".log"))
                            .sorted()
                            .toList();
                }
                for (int i = 0; i < segments.size(); i++) {
                    Path segment = segments.get(i);
                    long nextBase = i + 1 < segments.size() ? baseOf(segments.get(i + 1)) : Long.MAX_VALUE;
                    if (nextBase <= recoveryPoint) {
                        continue;
                    }
                    tail += Files.size(segment) - positionOf(segment, recoveryPoint);
                }
            }
        }
        return tail;
    }

    private static long baseOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".log".length()));
    }

    /** The byte position of the first batch in {@code segment} holding an offset at or past {@code offset}. */
    private static long positionOf(Path segment, long offset) throws Exception {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(segment)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(61);
            long position = 0;
            while (position + 61 <= size) {
                header.clear();
                while (header.hasRemaining() && channel.read(header, position + header.position()) > 0) {
                    // read the whole header
                }
                long last = header.getLong(0) + header.getInt(23);
                if (last >= offset) {
                    return position;
                }
                position += 12 + header.getInt(8);
            }
            return size;
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
                // As an application that crashes after a quiet moment: the background flush brings the tail under its
                // budget (log.flush.interval.bytes) first. Up to weir.bench.settle.ms (0: crash right after the burst).
                long deadline = System.nanoTime() + Long.getLong("weir.bench.settle.ms", 5_000L) * 1_000_000L;
                while (System.nanoTime() < deadline && tailBytes(dir) > BrokerConfig.DEFAULT_FLUSH_INTERVAL_BYTES) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                }
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            case "open-crash" -> {
                long firstUse = touchEveryPartition(broker.api());
                broker.crashForTesting();
                long warm = timeOpen(dir, false);
                System.out.printf(Locale.ROOT, "open %d %d %d %d%n", openNanos / 1000, uptime, firstUse / 1000, warm);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
            case "open-close" -> {
                long firstUse = touchEveryPartition(broker.api());
                broker.close();
                long warm = timeOpen(dir, true);
                System.out.printf(Locale.ROOT, "open %d %d %d %d%n", openNanos / 1000, uptime, firstUse / 1000, warm);
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    /** How long ListOffsets LATEST takes to answer for every partition of the topic: each log's first use. */
    private static long touchEveryPartition(BrokerApi api) throws Exception {
        long start = System.nanoTime();
        int partitions = api.metadata(new MetadataRequest(List.of(TOPIC), false))
                .get()
                .topics()
                .get(TOPIC)
                .partitions();
        Map<TopicPartition, Long> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(TOPIC, p), ListOffsetsRequest.LATEST);
        }
        api.listOffsets(new ListOffsetsRequest(IsolationLevel.READ_UNCOMMITTED, latest))
                .get()
                .partitions()
                .forEach((tp, answer) -> {
                    if (!answer.error().isSuccess()) {
                        throw new IllegalStateException(tp + ": " + answer.error());
                    }
                });
        return System.nanoTime() - start;
    }

    /**
     * Opens the directory again in this JVM and stops it as the first open was stopped, so the next child finds it
     * crashed or clean as this one did; returns µs. (A crash here after a clean close would leave no clean-shutdown
     * marker, and the next "clean" open would recover every partition from a recovery point at its log end.)
     */
    private static long timeOpen(Path dir, boolean clean) {
        long start = System.nanoTime();
        EmbeddedBroker again = EmbeddedBroker.open(Map.of(BrokerConfig.LOG_DIRS, dir.toString()));
        long micros = (System.nanoTime() - start) / 1000;
        if (clean) {
            again.close();
        } else {
            again.crashForTesting();
        }
        return micros;
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

    private static List<long[]> measure(int runs, Path dir, String mode, List<String> jvmOptions) throws Exception {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String line = spawn(mode, dir, jvmOptions);
            String[] parts = line.trim().split(" ");
            out.add(new long[] {
                Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4])
            });
        }
        return out;
    }

    /** Runs a child JVM and returns the line it printed that starts with "open", or "" for the writer. */
    private static String spawn(String mode, Path dir, List<String> jvmOptions, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "java.base/java.nio=ALL-UNNAMED",
                "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dweir.bench.settle.ms=" + Long.getLong("weir.bench.settle.ms", 5_000L)));
        command.addAll(jvmOptions);
        command.addAll(List.of(
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

    private static void report(
            int partitions, int mib, double tailMib, String state, List<long[]> runs, List<long[]> cdsRuns) {
        List<Long> open = column(runs, 0);
        List<Long> uptime = column(runs, 1);
        List<Long> firstUse = column(runs, 2);
        List<Long> warm = column(runs, 3);
        List<Long> cdsOpen = cdsRuns == null ? null : column(cdsRuns, 0);
        System.out.printf(
                Locale.ROOT,
                "%-11d %-8d %-9.1f %-7s %10.1f %18s %12.1f %18s %10.1f %13d ms %12s %18s%n",
                partitions,
                mib,
                tailMib,
                state,
                median(open),
                range(open),
                median(firstUse),
                range(firstUse),
                median(warm),
                uptime.get(uptime.size() / 2),
                cdsOpen == null ? "-" : String.format(Locale.ROOT, "%.1f", median(cdsOpen)),
                cdsOpen == null ? "-" : range(cdsOpen));
    }

    private static List<Long> column(List<long[]> runs, int i) {
        return runs.stream().map(r -> r[i]).sorted().toList();
    }

    /** The median in ms of sorted µs values. */
    private static double median(List<Long> sortedMicros) {
        return sortedMicros.get(sortedMicros.size() / 2) / 1000.0;
    }

    private static String range(List<Long> sortedMicros) {
        return String.format(
                Locale.ROOT,
                "%.1f .. %.1f",
                sortedMicros.get(0) / 1000.0,
                sortedMicros.get(sortedMicros.size() - 1) / 1000.0);
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
