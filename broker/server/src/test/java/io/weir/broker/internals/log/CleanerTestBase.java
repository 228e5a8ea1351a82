package io.weir.broker.internals.log;

import io.weir.broker.CleanerConfig;
import io.weir.broker.LogConfig;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the log cleaner tests share: a compacted log in a temporary directory with a cleaner over it alone, on a
 * manual clock, and builders and readers of keyed records, shown as "offset:key=value".
 */
abstract class CleanerTestBase {
    static final TopicPartition TP = new TopicPartition("tables", 0);
    static final CleanerConfig SMALL = new CleanerConfig(false, 1, 1024L * 1024, 64 * 1024, 0.9, 1000L);

    @TempDir
    Path dir;

    final MockTime time = new MockTime();
    final Map<String, String> overrides = new HashMap<>(Map.of(
            "cleanup.policy",
            "compact",
            "segment.bytes",
            "1024",
            "delete.retention.ms",
            "1000",
            "min.cleanable.dirty.ratio",
            "0.01"));
    Log log;
    LogCleaner cleaner;
    CleanerConfig cleanerConfig = SMALL;
    /** Read at every step, so a test may change it after opening. */
    CleanerHook hook = CleanerHook.NONE;

    Path logDir() {
        return dir.resolve("tables-0");
    }

    void open(boolean clean) {
        open(clean, 0L);
    }

    /** Opens the log (recovering from {@code recoveryPoint} unless {@code clean}) and a cleaner over it alone. */
    void open(boolean clean, long recoveryPoint) {
        log = Log.open(
                logDir(),
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, overrides),
                ProducerStateConfig.DEFAULT,
                time,
                clean ? Shutdown.CLEAN : Shutdown.crash(recoveryPoint));
        cleaner = LogCleaner.create(
                cleanerConfig,
                dir.resolve("cleaner-offset-checkpoint"),
                () -> List.of(log),
                time,
                step -> hook.reached(step));
    }

    @AfterEach
    void closeAll() {
        if (cleaner != null) {
            cleaner.close();
        }
        if (log != null && !log.isClosed()) {
            log.close();
        }
    }

    void reopen(boolean crash) {
        cleaner.close();
        if (crash) {
            log.closeWithoutFlush();
        } else {
            log.close();
        }
        open(!crash);
    }

    static ByteBuffer keyed(long timestamp, String... keyValues) {
        return keyed(CompressionType.NONE, timestamp, keyValues);
    }

    /** A batch of records given as key, value pairs; a null value is a tombstone. */
    static ByteBuffer keyed(CompressionType compression, long timestamp, String... keyValues) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                compression, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(timestamp, bytes(keyValues[i]), bytes(keyValues[i + 1]), new Header[0]);
        }
        return builder.build();
    }

    static ByteBuffer transactional(long pid, short epoch, int sequence, long timestamp, String... keyValues) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, pid, epoch, sequence, true);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(timestamp, bytes(keyValues[i]), bytes(keyValues[i + 1]), new Header[0]);
        }
        return builder.build();
    }

    static ByteBuffer idempotent(long pid, short epoch, int sequence, long timestamp, String... keyValues) {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, pid, epoch, sequence, false);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(timestamp, bytes(keyValues[i]), bytes(keyValues[i + 1]), new Header[0]);
        }
        return builder.build();
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    LogAppendInfo append(ByteBuffer batch) {
        return append(batch, AppendOrigin.CLIENT);
    }

    LogAppendInfo append(ByteBuffer batch, AppendOrigin origin) {
        LogAppendInfo info = log.append(batch, origin);
        log.advanceHighWatermark();
        return info;
    }

    /** Every record from the log start under {@code isolation}, as "offset:key=value" (value "null" for a tombstone). */
    List<String> contents(IsolationLevel isolation) {
        List<String> out = new ArrayList<>();
        for (Record record : readFromStart(log, isolation)) {
            out.add(record.offset() + ":" + text(record.key()) + "=" + text(record.value()));
        }
        return out;
    }

    /**
     * The records a consumer reading {@code log} from its start gets under {@code isolation}: up to the high
     * watermark or the last stable offset, without control records, and under read_committed without the
     * records of the aborted transactions each fetch reports.
     */
    static List<Record> readFromStart(Log log, IsolationLevel isolation) {
        List<Record> out = new ArrayList<>();
        long next = log.logStartOffset();
        long end = isolation == IsolationLevel.READ_COMMITTED ? log.lastStableOffset() : log.highWatermark();
        while (next < end) {
            ByteBuffer batches = log.read(next, 1 << 20, true, isolation).batches();
            if (!batches.hasRemaining()) {
                break;
            }
            List<AbortedTxn> aborted = log.abortedTransactions(next, end);
            while (batches.hasRemaining()) {
                RecordBatch batch = RecordBatch.wrap(batches);
                boolean skip = batch.isControl()
                        || (isolation == IsolationLevel.READ_COMMITTED
                                && batch.isTransactional()
                                && aborted.stream()
                                        .anyMatch(t -> t.producerId() == batch.producerId()
                                                && t.firstOffset() <= batch.baseOffset()
                                                && batch.lastOffset() < t.lastOffset()));
                if (!skip) {
                    for (Record record : batch) {
                        out.add(record);
                    }
                }
                next = batch.nextOffset();
                batches.position(batches.position() + batch.sizeInBytes());
            }
        }
        return out;
    }

    static String text(ByteBuffer b) {
        return b == null ? "null" : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    /** Latest value per key, in offset order of those latest records. */
    static Map<String, String> latest(List<String> contents) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (String line : contents) {
            String kv = line.substring(line.indexOf(':') + 1);
            String key = kv.substring(0, kv.indexOf('='));
            latest.remove(key);
            latest.put(key, kv.substring(kv.indexOf('=') + 1));
        }
        return latest;
    }

    void writeRounds(int rounds, int keys) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                append(keyed(time.milliseconds(), "k" + k, "v" + round + "-" + k));
            }
        }
    }

    /** Every batch from the log start to the high watermark, read_uncommitted, each in a buffer of its own. */
    List<RecordBatch> batches() {
        List<RecordBatch> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.highWatermark()) {
            ByteBuffer bytes = log.read(next, 1 << 20, true).batches();
            if (!bytes.hasRemaining()) {
                break;
            }
            while (bytes.hasRemaining()) {
                RecordBatch batch = RecordBatch.wrap(bytes);
                out.add(RecordBatch.wrap(batch.buffer()));
                next = batch.nextOffset();
                bytes.position(bytes.position() + batch.sizeInBytes());
            }
        }
        return out;
    }

    /** Thrown by a hook to stop a pass as a kill would: an Error, so no cleanup code runs on its way out. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }
}
