package io.weir.bench.broker;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.weir.broker.CleanerConfig;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.CleanerHook;
import io.weir.broker.internals.log.CleanerStats;
import io.weir.broker.internals.log.FetchDataInfo;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogCleaner;
import io.weir.broker.internals.log.Shutdown;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The log cleaner (issue 5) on one compacted partition of about 1 GiB in which 10 % of the records are live:
 * {@code N} records over {@code N / 10} distinct keys, each key written exactly 10 times, in a seeded random
 * order. The partition is rolled before cleaning, so the whole log is cleanable, and then cleaned in full on
 * the calling thread ({@link LogCleaner#cleanOnce()} until nothing is left to clean, as
 * {@link LogCleaner#cleanUntilClean()} does, keeping each pass's {@link CleanerStats}).
 *
 * <p>Each measurement reports, for one full clean: passes; MiB/s read by the cleaner (its bytes read, which
 * count the map-building scan and the rewrite scan, over the wall time); MiB/s of log cleaned (the log's size
 * before, over the wall time); log records/s; bytes after ÷ before; the offset map's entries and memory; and
 * heap. The baseline, measured in the same run on the same segments just before the clean, is a plain
 * sequential read of the whole log through {@link Log#read} in chunks of the cleaner's read-buffer size; the
 * ratios are cleaner MiB/s ÷ sequential-read MiB/s. A second reference line reads and CRC-checks every batch,
 * which the cleaner does in each of its two scans.
 *
 * <p>Heap, honestly: before the clean the benchmark collects twice and notes the heap in use, then resets the
 * peak of every heap pool. "Peak heap" is the sum of the pools' peaks during the clean (an upper bound: pools
 * peak at different moments, and it counts garbage not yet collected, so it mostly shows how far the collector
 * let the young generation grow); "peak live" is the largest heap in use right after any collection during the
 * clean (what the cleaner actually held, with the benchmark's own small baseline). The bytes all threads
 * allocated during the clean are reported too.
 *
 * <p>Two cleaner configurations are measured in every run: Kafka's defaults (128 MiB dedupe buffer, one
 * pass), and a small dedupe buffer (4 MiB by default) that cannot hold every key, so the clean takes several
 * passes, each rewriting the log from its start. Topic settings: {@code segment.bytes} 128 MiB (so the log has
 * eight segments and the cleaner groups and swaps several), {@code min.cleanable.dirty.ratio} 0 (so passes go on
 * until the whole log is clean, instead of stopping when the dirty tail drops below half), and
 * {@code file.delete.delay.ms} 0 (cleaned-away segments are deleted after each pass, inside the timing). After
 * each clean the log is read back: it must hold exactly one record per key, each key's last version, or the
 * benchmark fails.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.CleanerBenchmark [runs] [log-MiB] [value-bytes] [small-dedupe-MiB]
 * </pre>
 * Defaults: 3 runs, 1024 MiB, 100-byte values (16-byte keys; about 126 bytes a record on disk, 100 records a
 * batch), 4 MiB. A warm-up clean of an eighth of the size runs first and is not reported. Data goes to a
 * temporary directory under {@code weir.bench.dir} (default {@code java.io.tmpdir}), deleted afterwards.
 */
public final class CleanerBenchmark {
    private static final int VERSIONS_PER_KEY = 10;
    private static final int KEY_BYTES = 16;
    private static final int BATCH_BYTES = 16 * 1024;
    private static final int SEGMENT_BYTES = 128 * 1024 * 1024;
    private static final double MIB = 1024 * 1024;
    private static final TopicPartition TP = new TopicPartition("compacted", 0);

    private CleanerBenchmark() {}

    /** One full clean of one freshly written log. */
    record Result(
            String label,
            long records,
            long keys,
            long bytesBefore,
            long bytesAfter,
            int passes,
            double seconds,
            long bytesRead,
            long bytesWritten,
            long recordsRead,
            long mapEntries,
            long mapMemory,
            double seqReadMiBps,
            double seqCrcMiBps,
            long heapBefore,
            long peakHeap,
            long peakLive,
            long allocated,
            int gcs,
            long gcMs) {

        double readMiBps() {
            return bytesRead / MIB / seconds;
        }

        double cleanedMiBps() {
            return bytesBefore / MIB / seconds;
        }

        double recordsPerSecond() {
            return records / seconds;
        }

        double readRatio() {
            return readMiBps() / seqReadMiBps;
        }

        double cleanedRatio() {
            return cleanedMiBps() / seqReadMiBps;
        }

        double shrink() {
            return (double) bytesAfter / bytesBefore;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long logMiB = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        long smallDedupeMiB = args.length > 3 ? Long.parseLong(args[3]) : 4;
        CleanerConfig kafka = CleanerConfig.DEFAULTS;
        CleanerConfig small = new CleanerConfig(
                true, 1, smallDedupeMiB << 20, kafka.ioBufferSize(), kafka.loadFactor(), kafka.backoffMs());
        System.out.printf(
                Locale.ROOT,
                "log %d MiB, %d-byte keys, %d-byte values, each key written %d times; segment.bytes %d MiB;"
                        + " max heap %d MiB%n",
                logMiB,
                KEY_BYTES,
                valueBytes,
                VERSIONS_PER_KEY,
                SEGMENT_BYTES >> 20,
                Runtime.getRuntime().maxMemory() >> 20);

        Result warmup = measure("warm-up", kafka, (logMiB << 20) / 8, valueBytes, 1);
        System.out.printf(
                Locale.ROOT, "warm-up (%d MiB, not reported): %.2f s%n", warmup.bytesBefore() >> 20, warmup.seconds());
        System.out.println(header());
        List<Result> defaults = new ArrayList<>();
        List<Result> smalls = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long seed = 1000 + r;
            // Alternate which configuration goes first, so drift on the shared machine falls on both.
            if (r % 2 == 0) {
                defaults.add(print(measure(
                        "dedupe " + (kafka.dedupeBufferSize() >> 20) + " MiB", kafka, logMiB << 20, valueBytes, seed)));
                smalls.add(print(measure("dedupe " + smallDedupeMiB + " MiB", small, logMiB << 20, valueBytes, seed)));
            } else {
                smalls.add(print(measure("dedupe " + smallDedupeMiB + " MiB", small, logMiB << 20, valueBytes, seed)));
                defaults.add(print(measure(
                        "dedupe " + (kafka.dedupeBufferSize() >> 20) + " MiB", kafka, logMiB << 20, valueBytes, seed)));
            }
        }
        System.out.println();
        System.out.println("medians (min-max) over " + runs + " runs:");
        summarize(defaults);
        summarize(smalls);
    }

    // ---- one measurement ---------------------------------------------------------------------------------------

    private static Result measure(
            String label, CleanerConfig cleanerConfig, long targetBytes, int valueBytes, long seed) throws Exception {
        Path root = Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), "weir-cleaner-");
        try {
            LogConfig config = LogConfig.withOverrides(
                    LogConfig.DEFAULTS,
                    Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, "compact",
                            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES),
                            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0",
                            TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, "0"));
            Log log = Log.open(
                    Files.createDirectories(root.resolve(TP.toString())),
                    TP,
                    config,
                    ProducerStateConfig.DEFAULT,
                    Time.SYSTEM,
                    Shutdown.CLEAN);
            try {
                int keys = write(log, targetBytes, valueBytes, seed);
                long records = (long) keys * VERSIONS_PER_KEY;
                long bytesBefore = log.size();
                int chunk = cleanerConfig.ioBufferPerThread();
                double seqRead = sequentialRead(log, chunk, false);
                double seqCrc = sequentialRead(log, chunk, true);

                HeapWatch heap = HeapWatch.start();
                long allocatedBefore = allocatedBytes();
                List<CleanerStats> passes = new ArrayList<>();
                long start = System.nanoTime();
                long allocated;
                try (LogCleaner cleaner = LogCleaner.create(
                        cleanerConfig,
                        root.resolve("cleaner-offset-checkpoint"),
                        () -> List.of(log),
                        Time.SYSTEM,
                        CleanerHook.NONE)) {
                    while (cleaner.cleanOnce()) {
                        passes.add(cleaner.lastStats(TP));
                    }
                    // before close: the passes ran on the cleaner's own thread, which close ends
                    allocated = allocatedBytes() - allocatedBefore;
                    if (!cleaner.uncleanablePartitions().isEmpty()) {
                        throw new IllegalStateException("the cleaner gave up: " + cleaner.uncleanablePartitions());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                heap.stop();

                verify(log, keys, label, seed);
                return new Result(
                        label,
                        records,
                        keys,
                        bytesBefore,
                        log.size(),
                        passes.size(),
                        seconds,
                        sum(passes, CleanerStats::bytesRead),
                        sum(passes, CleanerStats::bytesWritten),
                        sum(passes, CleanerStats::recordsRead),
                        passes.stream()
                                .mapToLong(CleanerStats::mapEntries)
                                .max()
                                .orElse(0),
                        passes.stream()
                                .mapToLong(CleanerStats::mapMemoryBytes)
                                .max()
                                .orElse(0),
                        seqRead,
                        seqCrc,
                        heap.before,
                        heap.peak,
                        heap.peakLive,
                        allocated,
                        heap.collections,
                        heap.collectionMs);
            } finally {
                log.close();
            }
        } finally {
            delete(root);
        }
    }

    /**
     * Appends {@code keys * 10} records, about {@code targetBytes} in all, each key's versions spread at random
     * over the log; rolls and syncs, so every segment is cleanable and no write-back runs under the clean.
     * A value starts with the record's version of its key (0 to 9), which {@link #verify} checks.
     */
    private static int write(Log log, long targetBytes, int valueBytes, long seed) {
        int perBatch = Math.max(1, BATCH_BYTES / (KEY_BYTES + valueBytes + 10));
        byte[] filler = new byte[valueBytes];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < filler.length; i++) {
            filler[i] = (byte) random.nextInt(256);
        }
        // Size a record on disk from one full batch, so the log comes out near the target.
        RecordBatchBuilder sample = builder();
        for (int i = 0; i < perBatch; i++) {
            sample.append(0L, key(i), filler, new Header[0]);
        }
        double bytesPerRecord = (double) sample.build().remaining() / perBatch;
        int keys = (int) Math.min(
                Integer.MAX_VALUE / VERSIONS_PER_KEY, (long) (targetBytes / bytesPerRecord / VERSIONS_PER_KEY));

        int[] order = new int[keys * VERSIONS_PER_KEY];
        for (int i = 0; i < order.length; i++) {
            order[i] = i / VERSIONS_PER_KEY;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] versions = new byte[keys];
        long now = System.currentTimeMillis();
        for (int at = 0; at < order.length; at += perBatch) {
            RecordBatchBuilder builder = builder();
            for (int i = at; i < Math.min(order.length, at + perBatch); i++) {
                int key = order[i];
                byte[] value = filler.clone();
                value[0] = versions[key]++;
                builder.append(now, key(key), value, new Header[0]);
            }
            log.append(builder.build(), AppendOrigin.CLIENT);
        }
        log.advanceHighWatermark();
        log.roll();
        log.advanceHighWatermark();
        log.flush();
        return keys;
    }

    private static RecordBatchBuilder builder() {
        return new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
    }

    /** The key id, then a mix of it, so keys are 16 bytes as a UUID-keyed changelog's would be. */
    private static byte[] key(int id) {
        return ByteBuffer.allocate(KEY_BYTES)
                .putLong(id)
                .putLong(id * 0x9E3779B97F4A7C15L)
                .array();
    }

    /** MiB/s of reading the whole log in order through {@link Log#read}, optionally checking every batch's CRC. */
    private static double sequentialRead(Log log, int chunk, boolean checkCrc) {
        long start = System.nanoTime();
        long offset = log.logStartOffset();
        long end = log.highWatermark();
        long bytes = 0;
        while (offset < end) {
            ByteBuffer batches = log.read(offset, chunk, true).batches();
            if (!batches.hasRemaining()) {
                throw new IllegalStateException(
                        "sequential read of " + TP + " found nothing at offset " + offset + " of " + end);
            }
            int position = batches.position();
            while (position < batches.limit()) {
                int size = batches.getInt(position + RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
                if (checkCrc) {
                    RecordBatch.wrap(batches.slice(position, size)).ensureValid();
                }
                offset = batches.getLong(position + RecordBatch.BASE_OFFSET_OFFSET)
                        + batches.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET)
                        + 1;
                position += size;
            }
            bytes += batches.remaining();
        }
        return bytes / MIB / ((System.nanoTime() - start) / 1e9);
    }

    /** The cleaned log must hold each key once, at its last version. */
    private static void verify(Log log, int keys, String label, long seed) {
        BitSet seen = new BitSet(keys);
        long records = 0;
        long offset = log.logStartOffset();
        long end = log.highWatermark();
        while (offset < end) {
            FetchDataInfo read = log.read(offset, 1 << 20, true);
            ByteBuffer batches = read.batches();
            if (!batches.hasRemaining()) {
                break;
            }
            int position = batches.position();
            while (position < batches.limit()) {
                int size = batches.getInt(position + RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
                RecordBatch batch = RecordBatch.wrap(batches.slice(position, size));
                for (Record record : batch) {
                    records++;
                    int key = (int) record.key().getLong(record.key().position());
                    int version = record.value().get(record.value().position());
                    if (seen.get(key) || version != VERSIONS_PER_KEY - 1) {
                        throw new IllegalStateException(String.format(
                                Locale.ROOT,
                                "%s, seed %d: after cleaning, key %d at" + " offset %d is %s (version %d of 0-%d)",
                                label,
                                seed,
                                key,
                                record.offset(),
                                seen.get(key) ? "there twice" : "not its latest",
                                version,
                                VERSIONS_PER_KEY - 1));
                    }
                    seen.set(key);
                }
                offset = batch.nextOffset();
                position += size;
            }
        }
        if (records != keys) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s, seed %d: after cleaning the log holds %d records," + " expected one per key: %d",
                    label,
                    seed,
                    records,
                    keys));
        }
    }

    private static long sum(List<CleanerStats> passes, ToLongFunction<CleanerStats> field) {
        return passes.stream().mapToLong(field).sum();
    }

    /** Bytes allocated so far by every live thread: the cleaner runs its passes on a thread of its own. */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, allocated);
        }
        return total;
    }

    // ---- heap ------------------------------------------------------------------------------------------------

    /** Heap pools' peaks and the heap in use after each collection, between {@link #start} and {@link #stop}. */
    private static final class HeapWatch implements NotificationListener {
        long before;
        long peak;
        /** Guarded by {@code this}: notifications may arrive on more than one service thread. */
        long peakLive;

        int collections;
        long collectionMs;
        private long collectionsAtStart;
        private long collectionMsAtStart;

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            System.gc();
            System.gc();
            watch.before =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(watch, null, null);
                watch.collectionsAtStart += gc.getCollectionCount();
                watch.collectionMsAtStart += gc.getCollectionTime();
            }
            return watch;
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool :
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (isHeapPool(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            synchronized (this) {
                peakLive = Math.max(peakLive, used);
            }
        }

        void stop() throws Exception {
            long collectionsNow = 0;
            long msNow = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(this);
                collectionsNow += gc.getCollectionCount();
                msNow += gc.getCollectionTime();
            }
            collections = (int) (collectionsNow - collectionsAtStart);
            collectionMs = msNow - collectionMsAtStart;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            synchronized (this) {
                // No collection during the clean: the live set is at most what the pools peaked at.
                peakLive = peakLive == 0 ? peak : peakLive;
            }
        }

        private static boolean isHeapPool(String name) {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getName().equals(name)) {
                    return pool.getType() == MemoryType.HEAP;
                }
            }
            return false;
        }
    }

    // ---- output ------------------------------------------------------------------------------------------------

    private static String header() {
        return String.format(
                Locale.ROOT,
                "%-16s %6s %7s %9s %9s %11s %7s %9s %7s %7s %8s %8s %8s %8s %8s %8s",
                "config",
                "passes",
                "clean s",
                "read MiB/s",
                "log MiB/s",
                "records/s",
                "after",
                "seq MiB/s",
                "read÷seq",
                "log÷seq",
                "crc MiB/s",
                "map keys",
                "map MiB",
                "peak MiB",
                "live MiB",
                "alloc MiB");
    }

    private static Result print(Result r) {
        System.out.printf(
                Locale.ROOT,
                "%-16s %6d %7.2f %9.0f %9.0f %,11.0f %6.1f%% %9.0f %7.2f %7.2f %8.0f %,8d %8.1f %8.0f %8.0f %8.0f%n",
                r.label(),
                r.passes(),
                r.seconds(),
                r.readMiBps(),
                r.cleanedMiBps(),
                r.recordsPerSecond(),
                100 * r.shrink(),
                r.seqReadMiBps(),
                r.readRatio(),
                r.cleanedRatio(),
                r.seqCrcMiBps(),
                r.mapEntries(),
                r.mapMemory() / MIB,
                r.peakHeap() / MIB,
                r.peakLive() / MIB,
                r.allocated() / MIB);
        System.out.printf(
                Locale.ROOT,
                "    %,d records over %,d keys, %.0f -> %.0f MiB; cleaner read %.0f MiB (%,d records), wrote %.0f MiB;"
                        + " heap before %.0f MiB; %d GCs, %d ms%n",
                r.records(),
                r.keys(),
                r.bytesBefore() / MIB,
                r.bytesAfter() / MIB,
                r.bytesRead() / MIB,
                r.recordsRead(),
                r.bytesWritten() / MIB,
                r.heapBefore() / MIB,
                r.gcs(),
                r.gcMs());
        return r;
    }

    private static void summarize(List<Result> results) {
        Result first = results.get(0);
        System.out.printf(
                Locale.ROOT,
                "%s: %s passes; %s s; cleaner read %s MiB/s; log cleaned %s MiB/s; %s records/s;"
                        + " sequential read %s MiB/s (with CRC %s); read÷seq %s; log÷seq %s; after÷before %s;"
                        + " map %s keys, %s MiB; peak heap %s MiB, peak live %s MiB (heap before %s MiB); allocated %s MiB%n",
                first.label(),
                spread(results, Result::passes, "%.0f"),
                spread(results, Result::seconds, "%.2f"),
                spread(results, Result::readMiBps, "%.0f"),
                spread(results, Result::cleanedMiBps, "%.0f"),
                spread(results, Result::recordsPerSecond, "%,.0f"),
                spread(results, Result::seqReadMiBps, "%.0f"),
                spread(results, Result::seqCrcMiBps, "%.0f"),
                spread(results, Result::readRatio, "%.2f"),
                spread(results, Result::cleanedRatio, "%.2f"),
                spread(results, Result::shrink, "%.3f"),
                spread(results, Result::mapEntries, "%,.0f"),
                spread(results, r -> r.mapMemory() / MIB, "%.1f"),
                spread(results, r -> r.peakHeap() / MIB, "%.0f"),
                spread(results, r -> r.peakLive() / MIB, "%.0f"),
                spread(results, r -> r.heapBefore() / MIB, "%.0f"),
                spread(results, r -> r.allocated() / MIB, "%.0f"));
    }

    /** "median (min-max)", or just the value when every run agrees. */
    private static String spread(List<Result> results, ToDoubleFunction<Result> field, String format) {
        double[] values = results.stream().mapToDouble(field).sorted().toArray();
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        String m = String.format(Locale.ROOT, format, median);
        if (values[0] == values[n - 1]) {
            return m;
        }
        return m + " (" + String.format(Locale.ROOT, format, values[0]) + "-"
                + String.format(Locale.ROOT, format, values[n - 1]) + ")";
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
