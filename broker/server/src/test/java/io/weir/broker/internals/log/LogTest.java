package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();

    private Log open(Map<String, String> overrides) {
        return Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, overrides),
                ProducerStateConfig.DEFAULT,
                time,
                Shutdown.CLEAN);
    }

    private static void append(Log log, int records, int valueSize, long timestamp) {
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
            values[i] = LogTestSupport.value(valueSize, i);
        }
        log.append(LogTestSupport.batch(timestamp, values), AppendOrigin.CLIENT);
        log.advanceHighWatermark();
    }

    @Test
    void readersNeverSeePastTheHighWatermark() {
        Log log = open(Map.of());
        append(log, 3, 10, 1);
        log.append(LogTestSupport.batch(1, LogTestSupport.value(10, 9)), AppendOrigin.CLIENT);
        assertEquals(4, log.logEndOffset());
        assertEquals(3, log.highWatermark(), "not yet published");
        assertEquals(3, LogTestSupport.readAll(log, 0, 1 << 20).size());
        assertEquals(0, log.read(3, 1 << 20, true).batches().remaining(), "offset at the high watermark reads nothing");
        log.advanceHighWatermark();
        assertEquals(4, LogTestSupport.readAll(log, 0, 1 << 20).size());
        log.close();
    }

    @Test
    void readReturnsWholeBatchesWithinMaxBytesButAlwaysOneWithMinOneBatch() {
        Log log = open(Map.of());
        append(log, 10, 100, 1);
        append(log, 10, 100, 1);
        ByteBuffer small = log.read(0, 50, false).batches();
        assertEquals(0, small.remaining(), "a batch larger than maxBytes is not cut");
        ByteBuffer one = log.read(0, 50, true).batches();
        assertEquals(RecordBatch.wrap(one).sizeInBytes(), one.remaining(), "exactly one whole batch");
        ByteBuffer fromMiddle = log.read(15, 1 << 20, true).batches();
        assertEquals(10, RecordBatch.wrap(fromMiddle).baseOffset(), "the batch holding offset 15 starts at 10");
        log.close();
    }

    @Test
    void readOutsideTheLogNamesThePartitionAndBounds() {
        Log log = open(Map.of());
        append(log, 2, 1, 1);
        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> log.read(5, 100, true));
        assertTrue(e.getMessage().contains("t-0") && e.getMessage().contains("[0, 2)"), e.getMessage());
        log.close();
    }

    @Test
    void readOutsideTheLogCarriesPartitionOffsetAndBoundsAsFields() {
        Log log = open(Map.of());
        append(log, 2, 1, 1);
        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> log.read(5, 100, true));
        assertEquals(TP, e.topicPartition());
        assertEquals(5, e.offset());
        assertEquals(0, e.logStartOffset());
        assertEquals(2, e.logEndOffset());
        log.close();
    }

    @Test
    void rollsWhenTheSegmentIsFullAndFindsOffsetsAcrossSegments() {
        Log log =
                open(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "1000", TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, "100"));
        for (int i = 0; i < 30; i++) {
            append(log, 2, 100, 1);
        }
        assertTrue(log.numberOfSegments() > 5, "segments: " + log.segmentBaseOffsets());
        for (long offset : new long[] {0, 1, 17, 33, 59}) {
            ByteBuffer batches = log.read(offset, 1 << 20, true).batches();
            RecordBatch first = RecordBatch.wrap(batches);
            assertTrue(
                    first.baseOffset() <= offset && first.lastOffset() >= offset, "offset " + offset + " in " + first);
        }
        log.close();
    }

    @Test
    void indexesSurviveACleanReopenAndAreRebuiltWhenDamaged() throws Exception {
        Log log = open(Map.of(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, "50"));
        for (int i = 0; i < 20; i++) {
            append(log, 1, 100, 1000 + i);
        }
        log.close();
        Path index = dir.resolve(LogSegment.fileName(0, LogSegment.INDEX_SUFFIX));
        assertTrue(Files.size(index) > 0, "index entries were written on close");
        // Scramble the index: out-of-order entries fail the sanity check and the index is rebuilt.
        byte[] junk = new byte[(int) Files.size(index)];
        java.util.Arrays.fill(junk, (byte) 0x7f);
        Files.write(index, junk);
        Log reopened = open(Map.of(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, "50"));
        assertEquals(20, LogTestSupport.readAll(reopened, 0, 1 << 20).size());
        assertEquals(13, reopened.read(13, 1 << 20, true).batches().getLong(0), "lookups work after the rebuild");
        assertEquals(7, reopened.offsetForTimestamp(1007)[0]);
        reopened.close();
    }

    @Test
    void timestampLookupFindsTheFirstRecordAtOrAfterTheTime() {
        Log log = open(Map.of(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, "0"));
        append(log, 1, 10, 100);
        append(log, 1, 10, 300);
        append(log, 1, 10, 200); // out of order: the index keeps the running maximum
        append(log, 1, 10, 400);
        assertEquals(0, log.offsetForTimestamp(50)[0]);
        assertEquals(1, log.offsetForTimestamp(250)[0]);
        assertEquals(1, log.offsetForTimestamp(200)[0]);
        assertEquals(3, log.offsetForTimestamp(301)[0]);
        assertEquals(null, log.offsetForTimestamp(401));
        log.close();
    }

    @Test
    void rolledSegmentsAreSyncedAndMoveTheRecoveryPoint() {
        Log log = open(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "500"));
        for (int i = 0; i < 10; i++) {
            append(log, 1, 200, 1);
        }
        long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        assertEquals(0, log.recoveryPoint());
        log.flushRolledSegments();
        assertEquals(activeBase, log.recoveryPoint());
        assertFalse(log.recoveryPoint() == log.logEndOffset(), "the active segment is not synced by this");
        log.close();
    }

    @Test
    void retentionByBytesKeepsTheNewestSegmentsUnderTheLimit() throws Exception {
        Log log = open(Map.of(
                TopicConfig.SEGMENT_BYTES_CONFIG,
                "400",
                TopicConfig.RETENTION_BYTES_CONFIG,
                "900",
                TopicConfig.FILE_DELETE_DELAY_MS_CONFIG,
                "0"));
        for (int i = 0; i < 20; i++) {
            append(log, 1, 200, time.milliseconds());
        }
        for (DeletedSegment deleted : log.deleteRetainedSegments()) {
            deleted.deleteFiles();
        }
        assertTrue(log.size() <= 900 + 400, "size " + log.size());
        assertTrue(log.logStartOffset() > 0);
        assertEquals(log.logStartOffset(), (long) log.segmentBaseOffsets().get(0));
        assertEquals(
                20 - log.logStartOffset(),
                LogTestSupport.readAll(log, log.logStartOffset(), 1 << 20).size());
        log.close();
    }

    @Test
    void maxTimestampLookupIgnoresDataAboveTheHighWatermark() {
        Log log = open(Map.of());
        append(log, 1, 10, 500);
        log.append(
                LogTestSupport.batch(900, LogTestSupport.value(10, 1)),
                AppendOrigin.CLIENT); // written, not yet published
        assertEquals(500, log.maxTimestampAndOffset()[1]);
        log.advanceHighWatermark();
        assertEquals(900, log.maxTimestampAndOffset()[1]);
        assertEquals(1, log.maxTimestampAndOffset()[0]);
        log.close();
    }

    @Test
    void recoveryCutsABatchWhoseBaseOffsetWasDamaged() throws Exception {
        Log log = open(Map.of());
        for (int i = 0; i < 3; i++) {
            append(log, 2, 20, 1);
        }
        int batchSize = log.read(0, 1 << 20, true).batches().remaining() / 3;
        log.closeWithoutFlush();
        Path segment = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        try (var raf = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
            raf.seek(batchSize + 7L); // lowest byte of the second batch's base offset, outside the CRC
            raf.write(2 ^ 0x40);
        }
        Log recovered = Log.open(dir, TP, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, time, Shutdown.crash(0L));
        assertEquals(2, recovered.logEndOffset(), "only the first batch keeps its place");
        assertEquals(2, LogTestSupport.readAll(recovered, 0, 1 << 20).size());
        recovered.close();
    }

    @Test
    void recoveryDropsSegmentsAfterAGapLeftByALostTail() throws Exception {
        Log log = open(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "300"));
        for (int i = 0; i < 6; i++) {
            append(log, 1, 150, 1);
        }
        java.util.List<Long> bases = log.segmentBaseOffsets();
        assertTrue(bases.size() >= 3, "segments " + bases);
        log.closeWithoutFlush();
        // The first segment loses its last batch at a clean boundary, as an unsynced tail could after a power
        // loss, while the later segments survive: they no longer continue the log and must go.
        Path first = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        long firstSize = Files.size(first);
        int oneBatch = LogTestSupport.batch(1, LogTestSupport.value(150, 0)).remaining();
        try (var raf = new java.io.RandomAccessFile(first.toFile(), "rw")) {
            raf.setLength(firstSize - oneBatch);
        }
        Log recovered = Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "300")),
                ProducerStateConfig.DEFAULT,
                time,
                Shutdown.crash(0L));
        assertEquals(bases.get(1) - 1, recovered.logEndOffset());
        assertEquals(1, recovered.numberOfSegments());
        recovered.close();
    }

    @Test
    void strayFileInAPartitionDirectoryIsNamedInTheError() throws Exception {
        open(Map.of()).close();
        Files.writeString(dir.resolve("notes.log"), "x");
        io.weir.common.errors.KafkaStorageException e =
                assertThrows(io.weir.common.errors.KafkaStorageException.class, () -> open(Map.of()));
        assertTrue(e.getMessage().contains("notes.log"), e.getMessage());
    }

    @Test
    void unknownOrUnsupportedTopicConfigIsRefusedNamingTheKey() {
        InvalidConfigurationException unknown = assertThrows(
                InvalidConfigurationException.class,
                () -> LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of("segment.byte", "10")));
        assertTrue(unknown.getMessage().contains("segment.byte"), unknown.getMessage());
        InvalidConfigurationException bad = assertThrows(
                InvalidConfigurationException.class,
                () -> LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of("retention.ms", "soon")));
        assertTrue(bad.getMessage().contains("retention.ms") && bad.getMessage().contains("soon"), bad.getMessage());
        InvalidConfigurationException policy = assertThrows(
                InvalidConfigurationException.class,
                () -> LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of("cleanup.policy", "shred")));
        assertTrue(
                policy.getMessage().contains("cleanup.policy")
                        && policy.getMessage().contains("shred"),
                policy.getMessage());
    }

    @Test
    void createTimeIsAcceptedAsKafkaStreamsSetsItAndLogAppendTimeIsRefusedAsNotServed() {
        assertEquals(
                "CreateTime",
                LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of("message.timestamp.type", "CreateTime"))
                        .toMap()
                        .get("message.timestamp.type"));
        InvalidConfigurationException appendTime = assertThrows(
                InvalidConfigurationException.class,
                () -> LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of("message.timestamp.type", "LogAppendTime")));
        assertTrue(appendTime.getMessage().contains("LogAppendTime"), appendTime.getMessage());
    }

    @Test
    void retentionNeverTrimsACompactOnlyLog() throws Exception {
        Log log = open(Map.of(
                TopicConfig.SEGMENT_BYTES_CONFIG,
                "400",
                TopicConfig.RETENTION_BYTES_CONFIG,
                "900",
                TopicConfig.RETENTION_MS_CONFIG,
                "1",
                TopicConfig.CLEANUP_POLICY_CONFIG,
                "compact"));
        for (int i = 0; i < 20; i++) {
            // A compacted topic takes only keyed records.
            RecordBatchBuilder keyed = new RecordBatchBuilder(
                    CompressionType.NONE,
                    RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH,
                    RecordBatch.NO_SEQUENCE,
                    false);
            keyed.append(time.milliseconds(), new byte[] {(byte) i}, LogTestSupport.value(200, i), new Header[0]);
            log.append(keyed.build(), AppendOrigin.CLIENT);
            log.advanceHighWatermark();
        }
        time.sleep(10);
        assertTrue(log.deleteRetainedSegments().isEmpty());
        assertEquals(0, log.logStartOffset());
        assertEquals(20, LogTestSupport.readAll(log, 0, 1 << 20).size());
        log.close();
    }
}
