package io.weir.bench.broker;

import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogManager;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What opening a data directory costs (issue 13): one partition of about 1 GiB, opened through
 * {@link LogManager#open} as the broker opens it, in three states:
 * <ul>
 *   <li><b>clean</b>: after a clean shutdown. The active segment's tail, from its last offset-index entry, is
 *       checked (CRC included); nothing else is read.</li>
 *   <li><b>crash, checkpoint</b>: after a crash, with the recovery-point checkpoint the broker writes after
 *       syncing rolled segments: every segment from the one holding the recovery point (the active one) is
 *       checked batch by batch.</li>
 *   <li><b>crash, no checkpoint</b>: after a crash with the checkpoint gone: every segment is checked.</li>
 * </ul>
 * Each state is measured for {@code segment.bytes} 1 GiB (Kafka's default: the whole partition is the active
 * segment) and 128 MiB (eight segments). Each line gives the median and the range of {@code runs} opens. The
 * files stay in the page cache between runs (the machine has the memory), so this is the CPU and system-call
 * cost of recovery, not the disk's: a cold cache adds reading the checked bytes at the disk's speed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.RecoveryBenchmark [runs] [log-MiB]
 * </pre>
 * Defaults: 5 runs, 1024 MiB of 100-record batches of 100-byte values. Data goes to a temporary directory under
 * {@code weir.bench.dir} (default {@code java.io.tmpdir}), deleted afterwards.
 */
public final class RecoveryBenchmark {
    private static final String TOPIC = "recovery";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private RecoveryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long logBytes = (args.length > 1 ? Long.parseLong(args[1]) : 1024) << 20;
        Path base = Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir")));
        System.out.printf(Locale.ROOT, "%-14s %-22s %10s %22s%n", "segment.bytes", "state", "median ms", "range ms");
        for (int segmentMiB : List.of(1024, 128)) {
            Path dir = Files.createTempDirectory(base, "weir-recovery-bench");
            try {
                long written = write(dir, logBytes, segmentMiB);
                String layout = segmentMiB + " MiB";
                report(layout, "crash, checkpoint", measure(runs, () -> openAndCrash(dir)));
                Files.delete(dir.resolve("recovery-point-offset-checkpoint"));
                report(layout, "crash, no checkpoint", measure(runs, () -> {
                    long ms = openAndCrash(dir);
                    Files.deleteIfExists(dir.resolve("recovery-point-offset-checkpoint"));
                    return ms;
                }));
                LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM)
                        .close();
                report(layout, "clean", measure(runs, () -> openAndClose(dir)));
                System.out.printf(Locale.ROOT, "   (%d MiB in %d segments)%n", written >> 20, segments(dir));
            } finally {
                deleteRecursively(dir);
            }
        }
    }

    /**
     * Writes about {@code logBytes} into one partition, syncs the rolled segments and checkpoints the recovery
     * point as the broker's periodic flush does, then stops as a crash would. Returns the bytes written.
     */
    private static long write(Path dir, long logBytes, int segmentMiB) {
        LogManager manager = LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM);
        manager.createTopic(
                TOPIC, 1, Map.of("segment.bytes", Integer.toString(segmentMiB << 20), "retention.ms", "-1"));
        Log log = manager.log(TP);
        SplittableRandom random = new SplittableRandom(13);
        byte[] value = new byte[100];
        // Stop a batch short of the size, so a 1 GiB segment does not roll over into a second one for its last batch.
        while (log.size() + (1 << 16) < logBytes) {
            RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, -1L, (short) -1, -1, false);
            for (int r = 0; r < 100; r++) {
                random.nextBytes(value);
                builder.append(System.currentTimeMillis(), null, value, new Header[0]);
            }
            log.append(builder.build(), AppendOrigin.CLIENT);
            log.advanceHighWatermark();
        }
        log.flushRolledSegments();
        manager.checkpointRecoveryPoints();
        // Everything on disk before the first timed open, so the kernel's write-back does not run during it; the
        // checkpoint file keeps the recovery point above, which is what the crash leaves behind.
        log.flush();
        long written = log.size();
        manager.crash();
        return written;
    }

    private static long openAndCrash(Path dir) {
        long start = System.nanoTime();
        LogManager manager = LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM);
        long ms = (System.nanoTime() - start) / 1_000_000;
        manager.crash();
        return ms;
    }

    private static long openAndClose(Path dir) {
        long start = System.nanoTime();
        LogManager manager = LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!manager.hadCleanShutdown()) {
            throw new IllegalStateException("expected a clean shutdown before this open");
        }
        manager.close();
        return ms;
    }

    @FunctionalInterface
    private interface Run {
        long millis() throws Exception;
    }

    private static List<Long> measure(int runs, Run run) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            out.add(run.millis());
        }
        out.sort(null);
        return out;
    }

    private static void report(String layout, String state, List<Long> sorted) {
        System.out.printf(
                Locale.ROOT,
                "%-14s %-22s %10d %22s%n",
                layout,
                state,
                sorted.get(sorted.size() / 2),
                sorted.get(0) + " .. " + sorted.get(sorted.size() - 1));
    }

    private static long segments(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(TOPIC + "-0"))) {
            return files.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
