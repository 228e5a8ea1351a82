package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.ProducerBatches.marker;
import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.TransactionCoordinatorFencedException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatches;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions at the log: markers, the last stable offset, the aborted-transaction index, retention. */
class LogTransactionsTest {
    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final long PID = 11L;
    private static final long OTHER = 12L;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private Log log;

    private void open(Map<String, String> overrides) {
        log = Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, overrides),
                ProducerStateConfig.DEFAULT,
                time,
                Shutdown.CLEAN);
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private LogAppendInfo client(ByteBuffer batch) {
        LogAppendInfo info = log.append(batch, AppendOrigin.CLIENT);
        log.advanceHighWatermark();
        return info;
    }

    private LogAppendInfo coordinator(ByteBuffer batch) {
        LogAppendInfo info = log.append(batch, AppendOrigin.COORDINATOR);
        log.advanceHighWatermark();
        return info;
    }

    @Test
    void openTransactionHoldsTheLastStableOffsetUntilItsCommitMarker() {
        open(Map.of());
        client(plain(1, utf8("before"))); // 0
        client(transactional(PID, EPOCH, 0, 2, 1)); // 1..2
        client(plain(1, utf8("after"))); // 3
        assertEquals(1, log.lastStableOffset());
        assertEquals(4, log.highWatermark());

        coordinator(marker(ControlRecordType.COMMIT, PID, EPOCH, 0, 1)); // 4

        assertEquals(5, log.lastStableOffset());
        assertEquals(log.highWatermark(), log.lastStableOffset());
        assertTrue(log.abortedTransactions(0, 5).isEmpty(), "a commit is not indexed");
    }

    @Test
    void lastStableOffsetIsTheOldestOpenTransaction() {
        open(Map.of());
        client(transactional(PID, EPOCH, 0, 1, 1)); // 0
        client(transactional(OTHER, EPOCH, 0, 1, 1)); // 1

        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1)); // 2

        assertEquals(1, log.lastStableOffset());
    }

    @Test
    void abortMarkerIndexesTheTransactionInTheMarkersSegment() {
        open(Map.of());
        client(transactional(PID, EPOCH, 0, 2, 1)); // 0..1
        log.roll();
        client(plain(1, utf8("x"))); // 2
        log.roll();

        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1)); // 3

        assertEquals(List.of(new AbortedTxn(PID, 0, 3, 4)), log.abortedTransactions(0, 4));
        assertTrue(Files.exists(dir.resolve(LogSegment.fileName(3, LogSegment.TXN_INDEX_SUFFIX))));
        assertFalse(
                Files.exists(dir.resolve(LogSegment.fileName(0, LogSegment.TXN_INDEX_SUFFIX))),
                "only a segment with an abort gets an index file");
    }

    @Test
    void abortedTransactionsAreThoseOverlappingTheRange() {
        open(Map.of());
        client(transactional(PID, EPOCH, 0, 1, 1)); // 0
        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1)); // 1
        client(transactional(PID, EPOCH, 1, 1, 1)); // 2
        client(plain(1, utf8("x"))); // 3
        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1)); // 4
        client(transactional(PID, EPOCH, 2, 1, 1)); // 5
        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1)); // 6

        assertEquals(List.of(2L), firstOffsets(log.abortedTransactions(2, 5)), "ended before 2, started at 5");
        assertEquals(List.of(0L, 2L), firstOffsets(log.abortedTransactions(1, 3)));
        assertEquals(List.of(0L, 2L, 5L), firstOffsets(log.abortedTransactions(0, 7)));
    }

    @Test
    void readCommittedReadsOnlyBatchesBelowTheLastStableOffset() {
        open(Map.of());
        client(plain(1, utf8("a"))); // 0
        client(transactional(PID, EPOCH, 0, 2, 1)); // 1..2
        client(plain(1, utf8("b"))); // 3

        FetchDataInfo committed = log.read(0, 1 << 20, true, IsolationLevel.READ_COMMITTED);
        FetchDataInfo uncommitted = log.read(0, 1 << 20, true, IsolationLevel.READ_UNCOMMITTED);

        assertEquals(List.of(0L), baseOffsets(committed.batches()));
        assertEquals(List.of(0L, 1L, 3L), baseOffsets(uncommitted.batches()));
        assertEquals(1, committed.lastStableOffset());
        assertEquals(1, uncommitted.lastStableOffset());
        assertFalse(log.read(1, 1 << 20, true, IsolationLevel.READ_COMMITTED)
                .batches()
                .hasRemaining());
    }

    @Test
    void markerFromAnOlderProducerEpochIsRefused() {
        open(Map.of());
        client(transactional(PID, (short) 3, 0, 1, 1));

        InvalidProducerEpochException e = assertThrows(
                InvalidProducerEpochException.class,
                () -> coordinator(marker(ControlRecordType.COMMIT, PID, (short) 2, 0, 1)));

        assertTrue(e.getMessage().contains("payments-0") && e.getMessage().contains("COMMIT marker"), e.getMessage());
        assertEquals(0, log.lastStableOffset(), "the transaction is still open");
    }

    @Test
    void markerFromAFencedCoordinatorIsRefused() {
        open(Map.of());
        client(transactional(PID, EPOCH, 0, 1, 1));
        coordinator(marker(ControlRecordType.COMMIT, PID, EPOCH, 4, 1));
        client(transactional(PID, EPOCH, 1, 1, 1));

        TransactionCoordinatorFencedException e = assertThrows(
                TransactionCoordinatorFencedException.class,
                () -> coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 3, 1)));

        assertTrue(e.getMessage().contains("coordinator epoch 3"), e.getMessage());
    }

    @Test
    void markerWithABumpedEpochFencesTheProducerAndRestartsItsSequence() {
        open(Map.of());
        client(transactional(PID, EPOCH, 0, 3, 1));
        short bumped = EPOCH + 1;

        coordinator(marker(ControlRecordType.ABORT, PID, bumped, 0, 1));

        assertEquals(List.of(new AbortedTxn(PID, 0, 3, 4)), log.abortedTransactions(0, 4));
        assertThrows(InvalidProducerEpochException.class, () -> client(transactional(PID, EPOCH, 3, 1, 1)));
        assertThrows(OutOfOrderSequenceException.class, () -> client(transactional(PID, bumped, 3, 1, 1)));
        assertFalse(client(transactional(PID, bumped, 0, 1, 1)).isDuplicate());
    }

    @Test
    void coordinatorTransactionalBatchWithoutSequenceHoldsTheLastStableOffset() {
        open(Map.of());
        client(plain(1, utf8("x"))); // 0
        coordinator(ProducerBatches.coordinatorBatch(PID, EPOCH, 1, utf8("offset commit"))); // 1
        assertEquals(1, log.lastStableOffset());

        coordinator(marker(ControlRecordType.COMMIT, PID, EPOCH, 0, 1)); // 2

        assertEquals(3, log.lastStableOffset());
        assertEquals(-1, log.producers().get(PID).lastSeq(), "not part of the producer's sequence");
    }

    @Test
    void markerForAProducerWithNoOpenTransactionIsWrittenAndEndsNothing() {
        open(Map.of());

        LogAppendInfo info = coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1));

        assertEquals(0, info.firstOffset());
        assertEquals(1, log.lastStableOffset());
        assertTrue(log.abortedTransactions(0, 1).isEmpty());
    }

    @Test
    void retentionDropsTheDeletedSegmentsIndexesAndSnapshotsButKeepsProducersUntilTheyExpire() throws Exception {
        open(Map.of(TopicConfig.RETENTION_MS_CONFIG, "1000", TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, "0"));
        client(transactional(PID, EPOCH, 0, 1, time.milliseconds())); // 0
        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, time.milliseconds())); // 1
        log.roll(); // snapshot at 2
        client(ProducerBatches.idempotent(OTHER, EPOCH, 0, 1, time.milliseconds())); // 2
        log.roll(); // snapshot at 3
        time.sleep(5_000);
        client(plain(time.milliseconds(), utf8("fresh"))); // 3

        for (DeletedSegment deleted : log.deleteRetainedSegments()) {
            deleted.deleteFiles();
        }

        assertEquals(3, log.logStartOffset());
        assertFalse(Files.exists(dir.resolve(LogSegment.fileName(0, LogSegment.TXN_INDEX_SUFFIX))));
        assertFalse(Files.exists(dir.resolve(LogSegment.fileName(2, ProducerStateSnapshots.SUFFIX))));
        assertTrue(Files.exists(dir.resolve(LogSegment.fileName(3, ProducerStateSnapshots.SUFFIX))));
        // As Kafka since KIP-360: a producer whose batches were all deleted may still write; it leaves by expiry.
        assertEquals(java.util.Set.of(PID, OTHER), log.producers().keySet());
        assertTrue(log.abortedTransactions(3, 4).isEmpty());
    }

    @Test
    void lastStableOffsetNeverFallsBelowTheLogStart() throws Exception {
        open(Map.of(TopicConfig.RETENTION_MS_CONFIG, "1000", TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, "0"));
        client(transactional(PID, EPOCH, 0, 1, time.milliseconds())); // 0, never ended
        log.roll();
        time.sleep(5_000);
        client(plain(time.milliseconds(), utf8("fresh"))); // 1

        for (DeletedSegment deleted : log.deleteRetainedSegments()) {
            deleted.deleteFiles();
        }

        assertEquals(1, log.logStartOffset());
        assertEquals(1, log.lastStableOffset());
        assertTrue(log.producers().get(PID).hasOpenTransaction(), "an open transaction pins its producer");
    }

    @Test
    void fileSliceNamesTheSameBatchesACopyReads() throws Exception {
        open(Map.of());
        for (int i = 0; i < 6; i++) {
            client(plain(1, utf8("value-" + i), utf8("more-" + i))); // 2 records each: 0..11
        }
        int oneBatch = log.read(0, 1 << 20, true).batches().remaining() / 6;
        for (long offset = 0; offset < 12; offset++) {
            for (int maxBytes : new int[] {1, oneBatch, oneBatch * 2 + 1, 1 << 20}) {
                for (boolean minOneBatch : new boolean[] {true, false}) {
                    FetchDataInfo copy = log.read(offset, maxBytes, minOneBatch, IsolationLevel.READ_UNCOMMITTED);
                    FetchDataInfo slice = log.read(
                            offset, maxBytes, minOneBatch, IsolationLevel.READ_UNCOMMITTED, ReadMode.FILE_SLICE);
                    String what = "offset " + offset + ", maxBytes " + maxBytes + ", minOneBatch " + minOneBatch;
                    assertEquals(copy.batches(), bytesOf(slice), what);
                    assertEquals(copy.highWatermark(), slice.highWatermark(), what);
                    if (slice.onDisk() != null) {
                        List<Long> bases = baseOffsets(copy.batches());
                        assertEquals(
                                bases.get(bases.size() - 1) + 2, slice.onDisk().nextOffset(), what);
                    }
                }
            }
        }
    }

    @Test
    void readCommittedWithAnOpenTransactionReadsIntoTheHeapCutAtTheLastStableOffset() throws Exception {
        open(Map.of());
        client(plain(1, utf8("a"))); // 0
        client(transactional(PID, EPOCH, 0, 2, 1)); // 1..2, open
        client(plain(1, utf8("b"))); // 3

        FetchDataInfo committed = log.read(0, 1 << 20, true, IsolationLevel.READ_COMMITTED, ReadMode.FILE_SLICE);
        FetchDataInfo uncommitted = log.read(0, 1 << 20, true, IsolationLevel.READ_UNCOMMITTED, ReadMode.FILE_SLICE);

        assertEquals(null, committed.onDisk(), "the last stable offset cuts the bytes: they are read");
        assertEquals(List.of(0L), baseOffsets(committed.batches()));
        assertEquals(List.of(0L, 1L, 3L), baseOffsets(bytesOf(uncommitted)));

        coordinator(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1)); // 4
        FetchDataInfo stable = log.read(0, 1 << 20, true, IsolationLevel.READ_COMMITTED, ReadMode.FILE_SLICE);
        assertEquals(List.of(0L, 1L, 3L, 4L), baseOffsets(bytesOf(stable)), "nothing unstable: left in the file");
        assertEquals(5L, stable.onDisk().nextOffset());
    }

    /** The bytes of a read, wherever they lie. */
    private static ByteBuffer bytesOf(FetchDataInfo read) throws java.io.IOException {
        if (read.onDisk() == null) {
            return read.batches();
        }
        ByteBuffer bytes = ByteBuffer.allocate(read.onDisk().size());
        while (bytes.hasRemaining()) {
            int n = read.onDisk().channel().read(bytes, read.onDisk().position() + bytes.position());
            assertTrue(n >= 0, "the slice lies within the file");
        }
        return bytes.flip();
    }

    private static List<Long> firstOffsets(List<AbortedTxn> aborted) {
        return aborted.stream().map(AbortedTxn::firstOffset).toList();
    }

    private static List<Long> baseOffsets(ByteBuffer batches) {
        List<Long> offsets = new ArrayList<>();
        for (var it = RecordBatches.iterator(batches.duplicate()); it.hasNext(); ) {
            RecordBatch batch = it.next();
            offsets.add(batch.baseOffset());
        }
        return offsets;
    }
}
