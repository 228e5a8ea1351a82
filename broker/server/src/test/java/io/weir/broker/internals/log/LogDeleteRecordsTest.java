package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.ProducerBatches.idempotent;
import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.PolicyViolationException;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's DeleteRecords on one partition's log: the log start moves, durably once the caller checkpoints it. */
class LogDeleteRecordsTest {
    private static final TopicPartition TP = new TopicPartition("repartition", 0);
    private static final short EPOCH = 0;
    /** Three records of 100 bytes a batch; segments of 400 bytes hold one batch each. */
    private static final Map<String, String> SMALL_SEGMENTS =
            Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "400", TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, "0");

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private Log log;

    private Log open(Map<String, String> overrides, Shutdown shutdown, long checkpointedStart) {
        log = Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, overrides),
                ProducerStateConfig.DEFAULT,
                time,
                shutdown,
                checkpointedStart,
                LogDirContext.standalone(dir, time));
        return log;
    }

    private Log open(Map<String, String> overrides) {
        return open(overrides, Shutdown.CLEAN, 0L);
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    /** Appends {@code batches} batches of three 100-byte records and publishes them. */
    private void appendBatches(int batches) {
        for (int i = 0; i < batches; i++) {
            log.append(
                    LogTestSupport.batch(
                            time.milliseconds(),
                            LogTestSupport.value(100, 3 * i),
                            LogTestSupport.value(100, 3 * i + 1),
                            LogTestSupport.value(100, 3 * i + 2)),
                    AppendOrigin.CLIENT);
            log.advanceHighWatermark();
        }
    }

    private static void deleteFiles(Log.LogStartAdvance advance) throws Exception {
        for (DeletedSegment segment : advance.removed()) {
            segment.deleteFiles();
        }
    }

    private List<Long> offsetsFrom(long offset) {
        return LogTestSupport.readAll(log, offset, 1 << 20).stream()
                .map(Record::offset)
                .toList();
    }

    @Test
    void theLogStartMovesInsideASegmentAndReadsBelowItAreOutOfRange() {
        open(Map.of());
        appendBatches(3); // offsets 0..8, one segment

        Log.LogStartAdvance advance = log.deleteRecordsBefore(4);

        assertEquals(4, advance.logStartOffset());
        assertEquals(4, log.logStartOffset());
        assertTrue(advance.removed().isEmpty(), "the one segment still holds offsets 4..8");
        OffsetOutOfRangeException below = assertThrows(OffsetOutOfRangeException.class, () -> log.read(3, 1000, true));
        assertEquals(4, below.logStartOffset());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), offsetsFrom(4));
        ByteBuffer fromStart = log.read(4, 1 << 20, true).batches();
        assertEquals(3, RecordBatch.wrap(fromStart).baseOffset(), "whole batches: the one holding the start");
    }

    @Test
    void minusOneDeletesUpToTheHighWatermarkNotTheLogEnd() {
        open(Map.of());
        appendBatches(2);
        log.append(plain(time.milliseconds(), utf8("unpublished")), AppendOrigin.CLIENT);
        assertEquals(6, log.highWatermark());
        assertEquals(7, log.logEndOffset());

        assertEquals(6, log.deleteRecordsBefore(LogStartChange.HIGH_WATERMARK).logStartOffset());

        log.advanceHighWatermark();
        assertEquals(List.of(6L), offsetsFrom(6));
    }

    @Test
    void anOffsetPastTheHighWatermarkIsRefusedNamingItAndChangesNothing() {
        open(Map.of());
        appendBatches(1);
        log.append(plain(time.milliseconds(), utf8("unpublished")), AppendOrigin.CLIENT); // log end 4, hw 3

        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(4));

        assertTrue(
                e.getMessage().contains("repartition-0")
                        && e.getMessage().contains("offset 4")
                        && e.getMessage().contains("high watermark 3"),
                e.getMessage());
        assertEquals(TP, e.topicPartition());
        assertEquals(4, e.offset());
        assertEquals(0, log.logStartOffset());
        assertEquals(3, log.deleteRecordsBefore(3).logStartOffset(), "the high watermark itself is allowed");
    }

    @Test
    void aNegativeOffsetOtherThanMinusOneIsRefused() {
        open(Map.of());
        appendBatches(1);

        for (long offset : new long[] {-2, -100, Long.MIN_VALUE}) {
            OffsetOutOfRangeException e =
                    assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(offset));
            assertTrue(e.getMessage().contains("before offset " + offset), e.getMessage());
        }
        assertEquals(0, log.logStartOffset());
    }

    @Test
    void anOffsetAtOrBelowTheStartChangesNothingAndAnswersTheStart() {
        open(Map.of());
        appendBatches(3);
        log.deleteRecordsBefore(5);

        assertEquals(5, log.deleteRecordsBefore(2).logStartOffset());
        assertEquals(5, log.deleteRecordsBefore(5).logStartOffset());
        assertEquals(5, log.deleteRecordsBefore(0).logStartOffset());
        assertEquals(5, log.logStartOffset());
    }

    @Test
    void segmentsWhollyBelowTheNewStartGoAndTheOneHoldingItStays() throws Exception {
        open(SMALL_SEGMENTS);
        appendBatches(4); // segments at 0, 3, 6, 9
        assertEquals(List.of(0L, 3L, 6L, 9L), log.segmentBaseOffsets());

        Log.LogStartAdvance advance = log.deleteRecordsBefore(7);

        assertEquals(2, advance.removed().size());
        assertEquals(List.of(6L, 9L), log.segmentBaseOffsets());
        assertTrue(
                Files.exists(dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX + LogSegment.DELETED_SUFFIX))),
                "renamed until file.delete.delay.ms passed, so readers in flight finish");
        deleteFiles(advance);
        assertFalse(
                Files.exists(dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX + LogSegment.DELETED_SUFFIX))));
        assertFalse(Files.exists(dir.resolve(LogSegment.fileName(3, LogSegment.LOG_SUFFIX))));
        assertEquals(List.of(7L, 8L, 9L, 10L, 11L), offsetsFrom(7));
    }

    @Test
    void theActiveSegmentStaysWhenEveryRecordIsDeletedAndAppendsGoOn() {
        open(SMALL_SEGMENTS);
        appendBatches(2); // segments at 0, 3

        Log.LogStartAdvance advance = log.deleteRecordsBefore(LogStartChange.HIGH_WATERMARK);

        assertEquals(6, advance.logStartOffset());
        assertEquals(List.of(3L), log.segmentBaseOffsets(), "the active segment stays until it rolls");
        assertEquals(0, log.read(6, 1000, true).batches().remaining());
        assertEquals(
                6,
                log.append(plain(time.milliseconds(), utf8("next")), AppendOrigin.CLIENT)
                        .firstOffset());
    }

    @Test
    void aCompactOnlyLogRefusesWithAPolicyViolationButCompactAndDeleteAllowsIt() {
        open(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        log.append(keyed("k", "v"), AppendOrigin.CLIENT);
        log.advanceHighWatermark();

        PolicyViolationException e = assertThrows(PolicyViolationException.class, () -> log.deleteRecordsBefore(1));
        assertTrue(e.getMessage().contains("repartition-0") && e.getMessage().contains("compact"), e.getMessage());
        assertEquals(0, log.logStartOffset());

        log.updateConfig(LogConfig.withOverrides(
                LogConfig.DEFAULTS, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete")));
        assertEquals(1, log.deleteRecordsBefore(1).logStartOffset());
    }

    private static ByteBuffer keyed(String key, String value) {
        var builder = new io.weir.common.record.RecordBatchBuilder(
                io.weir.common.record.CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        builder.append(0L, utf8(key), utf8(value), new io.weir.common.record.Header[0]);
        return builder.build();
    }

    /** As Kafka since KIP-360: a producer whose batches were all deleted may still write; it leaves by expiry. */
    @Test
    void producersWhoseBatchesAllLieBelowTheNewStartAreKeptAndGoOnWriting() {
        open(Map.of());
        log.append(idempotent(1L, EPOCH, 0, 2, time.milliseconds()), AppendOrigin.CLIENT); // 0..1
        log.append(idempotent(2L, EPOCH, 0, 2, time.milliseconds()), AppendOrigin.CLIENT); // 2..3
        log.advanceHighWatermark();

        log.deleteRecordsBefore(2);

        assertEquals(List.of(1L, 2L), log.producers().keySet().stream().sorted().toList());
        log.append(idempotent(1L, EPOCH, 2, 2, time.milliseconds()), AppendOrigin.CLIENT); // 4..5, sequences 2..3
        assertEquals(6, log.logEndOffset());
    }

    @Test
    void theLastStableOffsetNeverFallsBelowTheNewStart() {
        open(Map.of());
        log.append(transactional(7L, EPOCH, 0, 1, time.milliseconds()), AppendOrigin.CLIENT); // 0, left open
        log.append(plain(time.milliseconds(), utf8("a"), utf8("b")), AppendOrigin.CLIENT); // 1..2
        log.advanceHighWatermark();
        assertEquals(0, log.lastStableOffset());

        log.deleteRecordsBefore(2);

        assertEquals(2, log.lastStableOffset());
        assertTrue(log.producers().get(7L).hasOpenTransaction(), "an open transaction pins its producer");
    }

    @Test
    void timestampLookupsSkipTheDeletedRecords() {
        open(Map.of());
        for (int i = 0; i < 4; i++) {
            log.append(plain(1000 + i, utf8("r" + i)), AppendOrigin.CLIENT);
        }
        log.advanceHighWatermark();

        log.deleteRecordsBefore(2);

        assertEquals(2, log.offsetForTimestamp(0)[0], "the first record at or after the log start");
        assertEquals(1002, log.offsetForTimestamp(1001)[1]);
        assertEquals(3, log.offsetForTimestamp(1003)[0]);
        assertNull(log.offsetForTimestamp(1004));
    }

    @Test
    void aClosedLogRefuses() {
        open(Map.of());
        appendBatches(1);
        log.close();

        assertThrows(KafkaStorageException.class, () -> log.deleteRecordsBefore(1));
    }

    // ---- across restarts: the caller passes the checkpointed start back, as LogManager does ----

    @Test
    void aCleanReopenStartsAtTheCheckpointedStartInsideASegment() {
        open(Map.of());
        appendBatches(3);
        long start = log.deleteRecordsBefore(5).logStartOffset();
        log.close();

        open(Map.of(), Shutdown.CLEAN, start);

        assertEquals(5, log.logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(4, 1000, true));
        assertEquals(List.of(5L, 6L, 7L, 8L), offsetsFrom(5));
        assertEquals(
                9,
                log.append(plain(time.milliseconds(), utf8("next")), AppendOrigin.CLIENT)
                        .firstOffset());
    }

    @Test
    void aCrashReopenStartsAtTheCheckpointedStartAndStillKnowsABatchStraddlingIt() {
        open(Map.of());
        log.append(idempotent(1L, EPOCH, 0, 3, time.milliseconds()), AppendOrigin.CLIENT); // 0..2
        log.roll(); // a producer-state snapshot at 3
        log.append(idempotent(2L, EPOCH, 0, 3, time.milliseconds()), AppendOrigin.CLIENT); // 3..5
        log.append(idempotent(2L, EPOCH, 3, 3, time.milliseconds()), AppendOrigin.CLIENT); // 6..8
        log.advanceHighWatermark();
        long start = log.deleteRecordsBefore(4).logStartOffset();
        assertFalse(
                Files.exists(dir.resolve(LogSegment.fileName(3, ProducerStateSnapshots.SUFFIX))),
                "the snapshot below the new start went");
        log.closeWithoutFlush();

        open(Map.of(), Shutdown.crash(0), start);

        assertEquals(4, log.logStartOffset());
        assertEquals(List.of(3L), log.segmentBaseOffsets());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(3, 1000, true));
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), offsetsFrom(4));
        assertEquals(List.of(2L), List.copyOf(log.producers().keySet()), "producer 1 wrote only below the start");
        assertEquals(5, log.producers().get(2L).lastSeq());
        LogAppendInfo retry = log.append(idempotent(2L, EPOCH, 0, 3, time.milliseconds()), AppendOrigin.CLIENT);
        assertTrue(retry.isDuplicate(), "a retry of the batch holding the start is still recognised");
        assertEquals(3, retry.firstOffset());
    }

    @Test
    void aCrashThatLostTheTailBelowTheCheckpointedStartLeavesAnEmptyLogAtTheStart() throws Exception {
        open(SMALL_SEGMENTS);
        appendBatches(3); // segments at 0, 3, 6; offsets 0..8
        long start = log.deleteRecordsBefore(LogStartChange.HIGH_WATERMARK).logStartOffset();
        assertEquals(9, start);
        log.closeWithoutFlush();
        // The unsynced tail is lost: the active segment, offsets 6..8, comes back torn.
        try (RandomAccessFile raf = new RandomAccessFile(
                dir.resolve(LogSegment.fileName(6, LogSegment.LOG_SUFFIX)).toFile(), "rw")) {
            raf.setLength(raf.length() - 10);
        }

        open(SMALL_SEGMENTS, Shutdown.crash(0), start);

        assertEquals(9, log.logStartOffset());
        assertEquals(9, log.logEndOffset());
        assertEquals(9, log.highWatermark());
        assertEquals(List.of(9L), log.segmentBaseOffsets(), "every segment below the start went");
        assertEquals(
                9,
                log.append(plain(time.milliseconds(), utf8("next")), AppendOrigin.CLIENT)
                        .firstOffset());
        log.advanceHighWatermark();
        assertEquals(List.of(9L), offsetsFrom(9));
        log.close();

        open(SMALL_SEGMENTS, Shutdown.CLEAN, start);
        assertEquals(9, log.logStartOffset());
        assertEquals(10, log.logEndOffset());
    }

    @Test
    void retentionTakesOutSegmentsWhollyBelowTheStartWhateverThePolicy() throws Exception {
        open(SMALL_SEGMENTS);
        appendBatches(4); // segments at 0, 3, 6, 9
        log.close();
        // A checkpointed start whose segment removals did not reach the disk before a stop.
        Map<String, String> compact = new HashMap<>(SMALL_SEGMENTS);
        compact.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        open(compact, Shutdown.CLEAN, 7);
        assertEquals(7, log.logStartOffset());
        assertEquals(List.of(0L, 3L, 6L, 9L), log.segmentBaseOffsets());

        List<DeletedSegment> removed = log.deleteRetainedSegments();

        assertEquals(2, removed.size());
        assertEquals(List.of(6L, 9L), log.segmentBaseOffsets());
        assertEquals(7, log.logStartOffset());
        for (DeletedSegment segment : removed) {
            segment.deleteFiles();
        }
    }

    @Test
    void retentionNeverMovesTheStartBackBelowADeleteRecordsStart() throws Exception {
        Map<String, String> overrides = new HashMap<>(SMALL_SEGMENTS);
        overrides.put(TopicConfig.RETENTION_MS_CONFIG, "1000");
        open(overrides);
        appendBatches(3); // segments at 0, 3, 6
        log.deleteRecordsBefore(4);
        time.sleep(5_000);
        appendBatches(1); // segment at 9

        List<DeletedSegment> removed = log.deleteRetainedSegments();

        assertEquals(List.of(9L), log.segmentBaseOffsets());
        assertEquals(9, log.logStartOffset());
        assertEquals(2, removed.size(), "segments 3 and 6; 0 went with the DeleteRecords");
        for (DeletedSegment segment : removed) {
            segment.deleteFiles();
        }
    }
}
