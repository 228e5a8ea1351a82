package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.broker.FaultyDisk;
import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery-point checkpoint never names a point above what a partition has synced: a crash recovery trusts
 * everything below it ({@link LogSegment#recoverAfter}, and the segments before the one holding it). Each test
 * leaves a too-high point behind the way a real stop can, appends without syncing past a roll, loses every unsynced
 * byte ({@link FaultyDisk#loseUnsynced}) and reopens: only synced records may remain, and none past a hole.
 */
class StaleRecoveryPointTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    /** Four records of 1000 bytes: about 4 KiB, so about four batches a segment. */
    private static final Map<String, String> SMALL_SEGMENTS = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "16384");

    @TempDir
    Path dataDir;

    private final MockTime time = new MockTime();
    private final FaultyDisk disk = new FaultyDisk();
    private LogManager manager;

    @AfterEach
    void crashManager() {
        if (manager != null) {
            manager.crash();
        }
    }

    private LogManager open() {
        return LogManager.open(
                dataDir,
                LogConfig.DEFAULTS,
                ProducerStateConfig.DEFAULT,
                time,
                io.weir.broker.CleanerConfig.DEFAULTS,
                CleanerHook.NONE,
                disk);
    }

    private static void append(Log log, int batches) {
        for (int i = 0; i < batches; i++) {
            RecordBatchBuilder builder = new RecordBatchBuilder(
                    CompressionType.NONE,
                    RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH,
                    RecordBatch.NO_SEQUENCE,
                    false);
            for (int r = 0; r < 4; r++) {
                builder.append(0L, null, LogTestSupport.value(1000, i + r), new Header[0]);
            }
            log.append(builder.build(), AppendOrigin.CLIENT);
        }
    }

    /** Crashes, losing every byte not synced, and reopens the partition. */
    private Log powerLossAndReopen() throws Exception {
        manager.crash();
        disk.loseUnsynced();
        manager = open();
        return manager.log(TP);
    }

    /** Every record from the log start to the end is readable: recovery left no hole below the end. */
    private static void assertNoHole(Log log) {
        log.advanceHighWatermark();
        long count = LogTestSupport.readAll(log, log.logStartOffset(), Integer.MAX_VALUE)
                .size();
        assertEquals(log.logEndOffset() - log.logStartOffset(), count, "records readable below the log end");
    }

    @Test
    void aDeletedTopicsRecoveryPointLeftInTheCheckpointIsDroppedAtOpen() throws Exception {
        manager = open();
        manager.createTopic("t", 1, SMALL_SEGMENTS);
        append(manager.log(TP), 20);
        manager.close(); // the checkpoint says t-0 -> 80
        manager = open();
        // A deletion that stopped after removing the topic's metadata, before rewriting the checkpoint.
        Map<TopicPartition, Long> points =
                new OffsetCheckpoint(dataDir.resolve("recovery-point-offset-checkpoint"), disk).read();
        manager.deleteTopic("t");
        manager.crash();
        new OffsetCheckpoint(dataDir.resolve("recovery-point-offset-checkpoint"), disk).write(points);
        manager = open();
        manager.createTopic("t", 1, SMALL_SEGMENTS);
        append(manager.log(TP), 12); // rolls twice, nothing synced

        Log reopened = powerLossAndReopen();

        assertEquals(0, reopened.logEndOffset(), "nothing of the new topic was synced");
        assertNoHole(reopened);
    }

    @Test
    void aTailCutAfterACleanShutdownLowersTheCheckpointedRecoveryPointBeforeAnyAppend() throws Exception {
        manager = open();
        manager.createTopic("t", 1, SMALL_SEGMENTS);
        append(manager.log(TP), 20);
        manager.close(); // the checkpoint says t-0 -> 80
        List<Path> segments;
        try (Stream<Path> files = Files.list(dataDir.resolve("t-0"))) {
            segments = files.filter(p -> p.toString().endsWith(LogSegment.LOG_SUFFIX))
                    .sorted()
                    .toList();
        }
        // The last segment is lost after the clean shutdown, and the tail of the one before it torn.
        Files.delete(segments.get(segments.size() - 1));
        try (RandomAccessFile raf =
                new RandomAccessFile(segments.get(segments.size() - 2).toFile(), "rw")) {
            raf.setLength(raf.length() - 100);
        }
        manager = open();
        Log log = manager.log(TP);
        long cutEnd = log.logEndOffset();
        append(log, 12); // past the old point, rolling, nothing synced

        Log reopened = powerLossAndReopen();

        assertEquals(cutEnd, reopened.logEndOffset(), "only what the open kept was synced");
        assertNoHole(reopened);
    }
}
