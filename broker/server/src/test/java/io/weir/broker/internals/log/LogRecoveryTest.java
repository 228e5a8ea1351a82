package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.record.Record;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged partition directories, one case each, on real files: each test writes a log, closes it cleanly or
 * as a crash would, damages a file, and reopens it under a deadline, since a damaged header once made the
 * open spin. Batches all have {@link #RECORDS} records of the same size, so batch {@code i} starts at byte
 * {@code i * batchSize} of its segment and holds offsets {@code i * RECORDS} on.
 */
class LogRecoveryTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int RECORDS = 10;
    private static final long DEADLINE_SECONDS = 20;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "log-opener");
        t.setDaemon(true); // a spinning open must not keep the test JVM alive
        return t;
    });
    private final int batchSize = batch(0).remaining();
    /** Held strongly: java.util.logging forgets a logger nobody references, and the handler with it. */
    private final Logger loaderLogger = Logger.getLogger(LogLoader.class.getName());

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    {
        loaderLogger.addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        loaderLogger.removeHandler(capture);
        opener.shutdownNow();
    }

    // ---- the cases of issue 13 ----------------------------------------------------------------------------

    @Test
    void flippedBaseOffsetInTheActiveSegmentAfterACleanShutdownDoesNotHangTheOpen() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 5);
        log.close();
        // Batch 4 starts at offset 40: flipping bit 5 of its base offset's lowest byte makes it 8, behind its
        // predecessors, and outside the CRC; the producer-state snapshot at 50 no longer matches the log end.
        flip(segmentFile(0), 4L * batchSize + 7, 0x20);

        Log reopened = openWithinDeadline(Map.of(), true, 0);
        assertEquals(40, reopened.logEndOffset(), "the batch whose offsets do not continue is cut");
        assertOffsetsAreExactly(reopened, 0, 40);
        reopened.close();
    }

    @Test
    void randomBytesAfterTheLastBatchOfACrashedLogWithARecoveryPointAreCut() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 3);
        log.flush();
        long recoveryPoint = log.recoveryPoint();
        log.closeWithoutFlush();
        // A header-sized run whose length field is negative: a scan that trusted it moved backwards.
        byte[] garbage = new byte[100];
        new java.util.Random(13).nextBytes(garbage);
        garbage[8] = (byte) 0xFF;
        appendBytes(segmentFile(0), garbage);

        Log reopened = openWithinDeadline(Map.of(), false, recoveryPoint);
        assertEquals(30, reopened.logEndOffset());
        assertEquals(3L * batchSize, Files.size(segmentFile(0)), "the garbage is cut");
        assertOffsetsAreExactly(reopened, 0, 30);
        reopened.close();
    }

    @Test
    void tornLastBatchAfterACleanShutdownIsCutSoAppendsStayReadable() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 3);
        log.close();
        truncate(segmentFile(0), 3L * batchSize - 25);

        Log reopened = openWithinDeadline(Map.of(), true, 0);
        assertEquals(20, reopened.logEndOffset(), "the log end offset is where the readable batches end");
        appendBatches(reopened, 2);
        reopened.close();

        Log again = openWithinDeadline(Map.of(), true, 0);
        assertEquals(40, again.logEndOffset());
        assertOffsetsAreExactly(again, 0, 40);
        again.close();
    }

    @Test
    void zerosAppendedAfterACleanShutdownLeaveTheLogEndOffsetAlone() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 3);
        log.close();
        appendBytes(segmentFile(0), new byte[4096]);

        Log reopened = openWithinDeadline(Map.of(), true, 0);
        assertEquals(30, reopened.logEndOffset());
        assertOffsetsAreExactly(reopened, 0, 30);
        reopened.close();
    }

    @Test
    void flippedLengthOfTheLastBatchAfterACleanShutdownIsCut() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 3);
        log.close();
        flip(segmentFile(0), 2L * batchSize + 10, 0x01); // the length field's second byte: 256 bytes more

        Log reopened = openWithinDeadline(Map.of(), true, 0);
        assertEquals(20, reopened.logEndOffset());
        appendBatches(reopened, 1);
        assertOffsetsAreExactly(reopened, 0, 30);
        reopened.close();
    }

    @Test
    void truncatedHeaderOfTheLastBatchAfterACleanShutdownIsCut() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 3);
        log.close();
        truncate(segmentFile(0), 2L * batchSize + 30); // the last batch keeps half a header

        Log reopened = openWithinDeadline(Map.of(), true, 0);
        assertEquals(20, reopened.logEndOffset());
        appendBatches(reopened, 1); // must not land behind the half header
        reopened.close();

        Log again = openWithinDeadline(Map.of(), true, 0);
        assertOffsetsAreExactly(again, 0, 30);
        again.close();
    }

    @Test
    void readRefusesABatchWhoseOffsetsDoNotContinueNamingFileAndPosition() throws Exception {
        Map<String, String> small = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(4 * batchSize));
        Log log = open(small, true, 0);
        appendBatches(log, 8);
        assertTrue(log.numberOfSegments() >= 2, log.segmentBaseOffsets().toString());
        log.close();
        flip(segmentFile(0), 2L * batchSize + 7, 0x01); // batch 2 of the rolled segment claims offset 21

        Log reopened = openWithinDeadline(small, true, 0);
        CorruptSegmentException e =
                assertThrows(CorruptSegmentException.class, () -> LogTestSupport.readAll(reopened, 0, batchSize));
        assertEquals(segmentFile(0), e.file());
        assertEquals(2L * batchSize, e.position());
        assertEquals(TP, e.topicPartition().orElseThrow());
        reopened.close();
    }

    @Test
    void producerStateReplayOverACorruptBatchNamesFileAndPosition() throws Exception {
        Map<String, String> small = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(4 * batchSize));
        Log log = open(small, true, 0);
        appendBatches(log, 6);
        log.close();
        flip(segmentFile(0), 1L * batchSize + 70, 0x04); // inside batch 1's records: its CRC fails
        deleteSnapshots(); // so the open replays the whole log

        CorruptSegmentException e =
                assertThrows(CorruptSegmentException.class, () -> openWithinDeadline(small, true, 0));
        assertEquals(segmentFile(0), e.file());
        assertEquals(batchSize, e.position());
        assertEquals(TP, e.topicPartition().orElseThrow());
    }

    @Test
    void recoveryLogsTheFileBytePositionAndWhatItDropped() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 4);
        log.closeWithoutFlush();
        flip(segmentFile(0), 1L * batchSize + 70, 0x04); // batch 1 fails its CRC: batches 1..3 go

        Log reopened = openWithinDeadline(Map.of(), false, 0);
        assertEquals(10, reopened.logEndOffset());
        reopened.close();
        assertEquals(1, warnings.size(), "one warning for the one cut: " + messages());
        String message = warnings.get(0).getMessage();
        for (String expected : List.of(
                segmentFile(0).toString(),
                "byte " + batchSize,
                (3L * batchSize) + " bytes",
                "3 batches",
                "offsets 10..39",
                TP.toString())) {
            assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
        }
    }

    @Test
    void cleanOpenOfAnUndamagedLogLogsNothing() throws Exception {
        Log log = open(Map.of(), true, 0);
        appendBatches(log, 4);
        log.close();
        openWithinDeadline(Map.of(), true, 0).close();
        assertEquals(List.of(), messages());
    }

    // ---- found by RecoveryProperties ----------------------------------------------------------------------

    @Test
    void recoveryPointCheckpointThatIsNotTextReadsAsEmpty() throws Exception {
        Path file = dir.resolve("recovery-point-offset-checkpoint");
        OffsetCheckpoint checkpoint = new OffsetCheckpoint(file);
        checkpoint.write(Map.of(TP, 30L));
        flip(file, 0, 0x80); // '0' becomes a byte that is not UTF-8
        assertEquals(Map.of(), checkpoint.read(), "a damaged checkpoint only costs a longer recovery");
    }

    @Test
    void crashRecoveryCutsABaseOffsetFlippedHighInARolledSegment() throws Exception {
        Map<String, String> small = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(2 * batchSize));
        Log log = open(small, true, 0);
        appendBatches(log, 5);
        log.closeWithoutFlush();
        flip(segmentFile(0), 0, 0x01); // batch 0 claims offset 2^56: its CRC still checks

        Log reopened = openWithinDeadline(small, false, 0);
        assertEquals(0, reopened.logEndOffset(), "no valid prefix: nothing may follow a batch that is not at offset 0");
        reopened.close();
    }

    @Test
    void crashRecoveryCutsABaseOffsetFlippedByOneInARolledSegment() throws Exception {
        Map<String, String> small = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(4 * batchSize));
        Log log = open(small, true, 0);
        appendBatches(log, 8);
        log.closeWithoutFlush();
        flip(segmentFile(0), 1L * batchSize + 7, 0x01); // batch 1 claims offsets 11..20, overlapping batch 2

        Log reopened = openWithinDeadline(small, false, 0);
        assertEquals(10, reopened.logEndOffset(), "cut at the batch that does not continue, not after it");
        assertOffsetsAreExactly(reopened, 0, 10);
        reopened.close();
    }

    @Test
    void crashRecoveryKeepsLaterSegmentsWhenOnlyBytesAfterARolledSegmentsLastBatchGo() throws Exception {
        Map<String, String> small = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(2 * batchSize));
        Log log = open(small, true, 0);
        appendBatches(log, 5);
        log.closeWithoutFlush();
        appendBytes(segmentFile(0), new byte[100]);

        Log reopened = openWithinDeadline(small, false, 0);
        assertEquals(50, reopened.logEndOffset(), "the zeros held no record");
        assertOffsetsAreExactly(reopened, 0, 50);
        reopened.close();
    }

    @Test
    void readReportsARolledSegmentThatLostItsLastBatchesAtABatchBoundary() throws Exception {
        Map<String, String> small = Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(4 * batchSize));
        Log log = open(small, true, 0);
        appendBatches(log, 8);
        log.close();
        truncate(segmentFile(0), 2L * batchSize); // batches 2 and 3 gone, whole: every header left checks

        Log reopened = openWithinDeadline(small, true, 0);
        CorruptSegmentException e =
                assertThrows(CorruptSegmentException.class, () -> LogTestSupport.readAll(reopened, 0, batchSize));
        assertEquals(segmentFile(0), e.file());
        assertEquals(2L * batchSize, e.position());
        assertEquals(20, e.offset());
        reopened.close();
    }

    @Test
    void offsetIndexEntryPointingIntoABatchIsDistrustedAndReadsStayRight() throws Exception {
        Map<String, String> indexed = Map.of(
                TopicConfig.SEGMENT_BYTES_CONFIG,
                Integer.toString(6 * batchSize),
                TopicConfig.INDEX_INTERVAL_BYTES_CONFIG,
                "1");
        Log log = open(indexed, true, 0);
        appendBatches(log, 9);
        log.close();
        Path index = dir.resolve(LogSegment.fileName(0, LogSegment.INDEX_SUFFIX));
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "rw")) {
            raf.seek(2L * OffsetIndex.ENTRY_SIZE + 4); // entry 2's position: one byte into batch 2, still in order
            int position = raf.readInt();
            raf.seek(2L * OffsetIndex.ENTRY_SIZE + 4);
            raf.writeInt(position + 1);
        }
        Logger segmentLogger = Logger.getLogger(LogSegment.class.getName());
        segmentLogger.addHandler(capture);
        try {
            Log reopened = openWithinDeadline(indexed, true, 0);
            assertOffsetsAreExactly(reopened, 0, 90);
            reopened.close();
        } finally {
            segmentLogger.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), messages().toString());
        assertTrue(messages().get(0).contains(index.toString()), messages().get(0));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static java.nio.ByteBuffer batch(int seed) {
        byte[][] values = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            values[i] = LogTestSupport.value(20, seed + i);
        }
        return LogTestSupport.batch(1_000, values);
    }

    private static void appendBatches(Log log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(batch((int) (log.logEndOffset() / RECORDS)), AppendOrigin.CLIENT); // values tell their offset
            log.advanceHighWatermark();
        }
    }

    private Log open(Map<String, String> overrides, boolean clean, long recoveryPoint) {
        return Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, overrides),
                ProducerStateConfig.DEFAULT,
                time,
                clean ? Shutdown.CLEAN : Shutdown.crash(recoveryPoint));
    }

    /** Opens on another thread and fails the test if that takes longer than the deadline. */
    private Log openWithinDeadline(Map<String, String> overrides, boolean clean, long recoveryPoint) throws Exception {
        return withinDeadline(() -> open(overrides, clean, recoveryPoint));
    }

    private <T> T withinDeadline(Callable<T> call) throws Exception {
        Future<T> future = opener.submit(call);
        try {
            return future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            fail("not done within " + DEADLINE_SECONDS + " s: it spins");
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Every record from the log start to the log end is there, at its own offset, once. */
    private void assertOffsetsAreExactly(Log log, long from, long to) throws Exception {
        assertEquals(to, log.highWatermark());
        List<Record> records = withinDeadline(() -> LogTestSupport.readAll(log, from, batchSize));
        List<Long> offsets = records.stream().map(Record::offset).toList();
        List<Long> expected =
                java.util.stream.LongStream.range(from, to).boxed().toList();
        assertEquals(expected, offsets);
        for (Record record : records) {
            int indexInBatch = (int) (record.offset() % RECORDS);
            int seed = (int) (record.offset() / RECORDS) + indexInBatch;
            assertEquals(
                    java.nio.ByteBuffer.wrap(LogTestSupport.value(20, seed)),
                    record.value(),
                    "value at offset " + record.offset());
        }
    }

    private Path segmentFile(long base) {
        return dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
    }

    private void deleteSnapshots() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".snapshot")).toList()) {
                Files.delete(file);
            }
        }
    }

    private List<String> messages() {
        return warnings.stream().map(LogRecord::getMessage).toList();
    }

    static void flip(Path file, long position, int mask) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ mask);
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
    }
}
