package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.ProducerBatches.marker;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk;
import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.record.CompressionType;
import io.weir.common.record.ControlRecordType;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery after a crash checks the segment holding the recovery point only from its last indexed batch below the
 * point ({@link LogSegment#recoverAfter}), and the background flush ({@link LogManager#flushTails}) keeps that
 * point, the index entries and a producer-state snapshot close to the log end. Each test writes a real directory
 * through a {@link LogManager} whose files go through a {@link FaultyDisk} that counts the bytes read, crashes it
 * (files as written, nothing more synced; or a power loss, each file cut back to what was synced) and reopens it.
 */
class TailRecoveryTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PRODUCER_ID = 11;
    private static final int VALUE_BYTES = 1000;
    private static final int RECORDS_PER_BATCH = 4;
    /** About 4 KiB per batch: one offset-index entry per batch or so at the default index.interval.bytes. */
    private static final int BATCH_BYTES_ROUGHLY = RECORDS_PER_BATCH * VALUE_BYTES;

    @TempDir
    Path dataDir;

    private final MockTime time = new MockTime();
    private final FaultyDisk disk = new FaultyDisk();
    private LogManager manager;
    private int sequence;

    @AfterEach
    void closeManager() {
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

    private Log createLog() {
        manager = open();
        // One segment for everything: the whole history is in the segment holding the recovery point.
        manager.createTopic("t", 1, Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(256 << 20)));
        return manager.log(TP);
    }

    private void append(Log log, int batches) {
        for (int i = 0; i < batches; i++) {
            RecordBatchBuilder builder =
                    new RecordBatchBuilder(CompressionType.NONE, PRODUCER_ID, (short) 0, sequence, false);
            for (int r = 0; r < RECORDS_PER_BATCH; r++) {
                builder.append(
                        time.milliseconds(), null, LogTestSupport.value(VALUE_BYTES, sequence + r), new Header[0]);
            }
            sequence += RECORDS_PER_BATCH;
            log.append(builder.build(), AppendOrigin.CLIENT);
            log.advanceHighWatermark();
        }
    }

    /** Crashes the manager and reopens the partition, counting the bytes of segment files the open read. */
    private long crashAndReopenCountingSegmentReads() {
        manager.crash();
        manager = open();
        disk.resetBytesRead();
        manager.log(TP);
        return disk.bytesRead(p -> p.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX));
    }

    private Path activeSegment() {
        return dataDir.resolve("t-0").resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
    }

    @Test
    void recoveryAfterACrashReadsTheUnflushedTailNotTheSegment() throws Exception {
        Log log = createLog();
        append(log, 2_000); // about 8 MiB below the recovery point
        assertEquals(1, manager.flushTails(1));
        long recoveryPoint = log.logEndOffset();
        long flushedBytes = Files.size(activeSegment());
        append(log, 100); // about 400 KiB of unflushed tail
        long end = log.logEndOffset();
        long tailBytes = Files.size(activeSegment()) - flushedBytes;

        long read = crashAndReopenCountingSegmentReads();

        Log reopened = manager.log(TP);
        assertEquals(end, reopened.logEndOffset());
        assertEquals(end, reopened.recoveryPoint(), "the recovered end is the new recovery point");
        // The tail is read by recovery and by the producer-state replay from the snapshot at the recovery point,
        // plus a batch or two around the index entry the recovery starts from: never the 8 MiB below it.
        assertTrue(read >= tailBytes, "read " + read + " bytes, less than the " + tailBytes + "-byte tail");
        assertTrue(
                read <= 3 * tailBytes + 4L * BATCH_BYTES_ROUGHLY,
                "read " + read + " bytes for a tail of " + tailBytes + " above " + flushedBytes + " flushed bytes");
        // The producer state was restored: the next sequence is taken, the recovery point's batch not again.
        append(reopened, 1);
        assertEquals(end + RECORDS_PER_BATCH, reopened.logEndOffset());
        assertEquals(recoveryPoint + 101L * RECORDS_PER_BATCH, reopened.logEndOffset());
    }

    @Test
    void recoveryWorkGrowsWithTheTailNotTheData() throws Exception {
        Log log = createLog();
        append(log, 500);
        manager.flushTails(1);
        append(log, 50);
        long smallTail = crashAndReopenCountingSegmentReads();

        log = manager.log(TP);
        append(log, 2_500); // five times the data below the next recovery point
        manager.flushTails(1);
        append(log, 50);
        long sameTailMoreData = crashAndReopenCountingSegmentReads();

        log = manager.log(TP);
        manager.flushTails(1);
        append(log, 500); // ten times the tail
        long largerTail = crashAndReopenCountingSegmentReads();

        assertTrue(
                sameTailMoreData < smallTail * 3 / 2,
                "the same tail above 6x the data read " + sameTailMoreData + " bytes, against " + smallTail);
        assertTrue(
                largerTail > smallTail * 5,
                "a 10x tail read " + largerTail + " bytes, against " + smallTail + ": not proportional to it");
    }

    @Test
    void aTornTailAfterTheRecoveryPointIsCutExactlyAsBefore() throws Exception {
        Log log = createLog();
        append(log, 300);
        manager.flushTails(1);
        append(log, 20);
        long keptEnd = log.logEndOffset();
        long keptBytes = Files.size(activeSegment());
        append(log, 1);
        manager.crash();
        try (RandomAccessFile raf = new RandomAccessFile(activeSegment().toFile(), "rw")) {
            raf.setLength(keptBytes + 100); // the last batch is torn: a header and a few records' bytes
        }
        manager = open();
        Log reopened = manager.log(TP);
        assertEquals(keptEnd, reopened.logEndOffset());
        assertEquals(keptBytes, Files.size(activeSegment()), "cut at the torn batch's first byte");
        sequence -= RECORDS_PER_BATCH; // the torn batch is gone, with its sequences
        append(reopened, 1);
        assertEquals(keptEnd + RECORDS_PER_BATCH, reopened.logEndOffset());
    }

    @Test
    void aCorruptBatchAfterTheRecoveryPointIsCutWithEverythingAfterIt() throws Exception {
        Log log = createLog();
        append(log, 300);
        manager.flushTails(1);
        append(log, 10);
        long keptEnd = log.logEndOffset();
        long keptBytes = Files.size(activeSegment());
        append(log, 10);
        manager.crash();
        try (RandomAccessFile raf = new RandomAccessFile(activeSegment().toFile(), "rw")) {
            raf.seek(keptBytes + RecordBatch.HEADER_SIZE + 10); // inside the first record: a CRC failure
            int b = raf.read();
            raf.seek(keptBytes + RecordBatch.HEADER_SIZE + 10);
            raf.write(b ^ 0x5a);
        }
        manager = open();
        assertEquals(keptEnd, manager.log(TP).logEndOffset());
        assertEquals(keptBytes, Files.size(activeSegment()));
    }

    @Test
    void damageBelowTheRecoveryPointIsTrustedAsSyncedAndNotScanned() throws Exception {
        Log log = createLog();
        append(log, 300);
        manager.flushTails(1);
        long end = log.logEndOffset();
        manager.crash();
        try (RandomAccessFile raf = new RandomAccessFile(activeSegment().toFile(), "rw")) {
            raf.seek(10_000); // inside the third batch or so, far below the recovery point
            int b = raf.read();
            raf.seek(10_000);
            raf.write(b ^ 0x5a);
        }
        manager = open();
        // Not cut: the bytes below the recovery point were synced, and are found when read (as Kafka finds damage
        // in the segments before the one holding its recovery point).
        assertEquals(end, manager.log(TP).logEndOffset());
    }

    @Test
    void anIndexEntryThatDoesNotCheckSendsRecoveryBackToTheSegmentStart() throws Exception {
        Log log = createLog();
        append(log, 300);
        manager.flushTails(1);
        append(log, 5);
        long end = log.logEndOffset();
        manager.crash();
        Path index = dataDir.resolve("t-0").resolve(LogSegment.fileName(0, LogSegment.INDEX_SUFFIX));
        long entries = Files.size(index) / OffsetIndex.ENTRY_SIZE;
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "rw")) {
            raf.seek((entries - 1) * OffsetIndex.ENTRY_SIZE + 4); // the last entry's position, one byte off
            int position = raf.readInt();
            raf.seek((entries - 1) * OffsetIndex.ENTRY_SIZE + 4);
            raf.writeInt(position + 1);
        }
        long segmentBytes = Files.size(activeSegment());
        manager = open();
        disk.resetBytesRead();
        assertEquals(end, manager.log(TP).logEndOffset());
        assertTrue(
                disk.bytesRead(p -> p.equals(activeSegment())) >= segmentBytes,
                "the whole segment is checked when the index entry below the recovery point does not check");
    }

    @Test
    void theBackgroundFlushWaitsForTheBudgetThenMovesAndSavesTheRecoveryPoint() throws Exception {
        Log log = createLog();
        long budget = 200L * BATCH_BYTES_ROUGHLY;
        append(log, 100);
        assertEquals(0, manager.flushTails(budget), "below the budget nothing is flushed");
        assertEquals(0, log.recoveryPoint());
        assertTrue(log.bytesSinceTailFlush() >= 100L * BATCH_BYTES_ROUGHLY, "pending: " + log.bytesSinceTailFlush());
        append(log, 150);
        assertEquals(1, manager.flushTails(budget));
        assertEquals(log.logEndOffset(), log.recoveryPoint());
        assertEquals(0, log.bytesSinceTailFlush());
        assertEquals(0, manager.flushTails(1), "nothing appended since: nothing to flush");
        Map<TopicPartition, Long> saved =
                new OffsetCheckpoint(dataDir.resolve("recovery-point-offset-checkpoint"), disk).read();
        assertEquals(log.logEndOffset(), saved.get(TP), "the recovery point is saved with the flush");
    }

    @Test
    void theBudgetIsTheDirectorysAndTheLargestTailsGoFirstUntilUnderHalfIsLeft() throws Exception {
        manager = open();
        manager.createTopic("t", 3, Map.of());
        Log big = manager.log(TP);
        Log middle = manager.log(new TopicPartition("t", 1));
        Log small = manager.log(new TopicPartition("t", 2));
        append(big, 60);
        sequence = 0;
        append(middle, 30);
        sequence = 0;
        append(small, 20);
        long budget = 100L * BATCH_BYTES_ROUGHLY; // no partition alone reaches it; the three together do

        assertEquals(2, manager.flushTails(budget), "the two largest leave under half the budget");

        assertEquals(big.logEndOffset(), big.recoveryPoint());
        assertEquals(middle.logEndOffset(), middle.recoveryPoint());
        assertEquals(0, small.recoveryPoint(), "the smallest tail waits for the next round");
        assertTrue(small.bytesSinceTailFlush() > 0);
    }

    /** The recovery point the checkpoint file holds for {@link #TP} now. */
    private long checkpointedRecoveryPoint() throws Exception {
        return new OffsetCheckpoint(dataDir.resolve("recovery-point-offset-checkpoint"), disk)
                .read()
                .getOrDefault(TP, 0L);
    }

    /** Crashes, loses every byte not synced ({@link FaultyDisk#loseUnsynced}) and reopens the partition. */
    private Log powerLossAndReopen() throws Exception {
        manager.crash();
        disk.loseUnsynced();
        manager = open();
        Log log = manager.log(TP);
        log.advanceHighWatermark();
        return log;
    }

    /** Every offset from 0 to {@code end} reads back as the record {@link #append} wrote there. */
    private static void assertRecordsUpTo(Log log, long end) {
        List<io.weir.common.record.Record> records = LogTestSupport.readAll(log, 0, 1 << 20);
        assertTrue(records.size() >= end, "only " + records.size() + " records survived, below " + end);
        for (int i = 0; i < end; i++) {
            assertEquals(i, records.get(i).offset());
        }
    }

    @Test
    void everyRecordBelowTheCheckpointedRecoveryPointSurvivesAPowerLoss() throws Exception {
        Log log = createLog();
        append(log, 300);
        assertEquals(1, manager.flushTails(1));
        long saved = checkpointedRecoveryPoint();
        assertEquals(log.logEndOffset(), saved);
        append(log, 50); // unsynced: lost

        Log reopened = powerLossAndReopen();

        assertEquals(saved, reopened.logEndOffset(), "the synced records, and none of the unsynced tail");
        assertRecordsUpTo(reopened, saved);
        sequence -= 50 * RECORDS_PER_BATCH; // the lost batches' sequences are free again
        append(reopened, 1); // the producer state was restored from the tail flush's snapshot
        assertEquals(saved + RECORDS_PER_BATCH, reopened.logEndOffset());
    }

    @Test
    void anAbortBelowTheTailFlushStaysIndexedAfterAPowerLoss() throws Exception {
        Log log = createLog();
        append(log, 20);
        long txnStart = log.logEndOffset();
        log.append(transactional(77, (short) 0, 0, 2, time.milliseconds()), AppendOrigin.CLIENT);
        log.append(marker(ControlRecordType.ABORT, 77, (short) 0, 0, time.milliseconds()), AppendOrigin.COORDINATOR);
        append(log, 20);
        assertEquals(1, manager.flushTails(1));
        append(log, 5);

        Log reopened = powerLossAndReopen();

        assertEquals(
                List.of(new AbortedTxn(77, txnStart, txnStart + 2, txnStart + 3)),
                reopened.abortedTransactions(0, reopened.logEndOffset()));
        assertEquals(
                List.of(new AbortedTxn(77, txnStart, txnStart + 2, txnStart + 3)),
                reopened.abortedTransactions(txnStart, txnStart + 1),
                "a read_committed fetch from the transaction's start is told to skip its records");
    }

    @Test
    void aTailFlushWithAppendsAndARollDuringItsDataSyncLeavesEverythingBelowThePointDurable() throws Exception {
        Log log = createLog();
        append(log, 100);
        // The flush's data sync of the active segment is held while the writer appends and rolls: the deterministic
        // version of a writer racing the maintenance thread.
        disk.holdOnce(FaultyDisk.Op.FORCE, p -> p.toString().endsWith(LogSegment.LOG_SUFFIX), () -> {
            append(log, 10);
            log.roll();
            append(log, 10);
        });
        assertEquals(1, manager.flushTails(1));
        long saved = checkpointedRecoveryPoint();
        assertTrue(saved >= 400, "the point covers what was appended before the flush: " + saved);
        long end = log.logEndOffset();

        Log reopened = powerLossAndReopen();

        assertTrue(reopened.logEndOffset() >= saved, "cut below the checkpointed point " + saved + ": " + end);
        assertRecordsUpTo(reopened, saved);
    }

    @Test
    void anIndexEntryWhoseBatchFailsItsCrcSendsRecoveryBackToTheSegmentStart() throws Exception {
        Log log = createLog();
        append(log, 300);
        manager.flushTails(1);
        append(log, 5);
        manager.crash();
        Path index = dataDir.resolve("t-0").resolve(LogSegment.fileName(0, LogSegment.INDEX_SUFFIX));
        long entries = Files.size(index) / OffsetIndex.ENTRY_SIZE;
        int relativeOffset;
        int position;
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "r")) {
            raf.seek((entries - 1) * OffsetIndex.ENTRY_SIZE);
            relativeOffset = raf.readInt();
            position = raf.readInt();
        }
        try (RandomAccessFile raf = new RandomAccessFile(activeSegment().toFile(), "rw")) {
            raf.seek(position + RecordBatch.HEADER_SIZE + 10); // the header checks, the CRC does not
            int b = raf.read();
            raf.seek(position + RecordBatch.HEADER_SIZE + 10);
            raf.write(b ^ 0x5a);
        }
        long segmentBytes = Files.size(activeSegment());
        manager = open();
        disk.resetBytesRead();
        Log reopened = manager.log(TP);
        assertTrue(
                disk.bytesRead(p -> p.equals(activeSegment())) >= segmentBytes - position,
                "the segment is checked from its start");
        // The whole-segment check cuts at the damaged batch: the entry's last offset ends it.
        assertEquals(relativeOffset + 1 - RECORDS_PER_BATCH, reopened.logEndOffset());
    }
}
