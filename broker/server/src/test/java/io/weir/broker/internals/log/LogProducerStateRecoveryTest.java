package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.ProducerBatches.idempotent;
import static io.weir.broker.internals.log.ProducerBatches.marker;
import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer state and aborted-transaction indexes across clean restarts, crashes and damaged files. */
class LogProducerStateRecoveryTest {
    private static final TopicPartition TP = new TopicPartition("ledger", 1);
    private static final long PID = 21L;
    private static final short EPOCH = 1;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private Log log;

    private void open(boolean cleanShutdown, long recoveryPoint) {
        log = Log.open(
                dir,
                TP,
                LogConfig.DEFAULTS,
                ProducerStateConfig.DEFAULT,
                time,
                cleanShutdown ? Shutdown.CLEAN : Shutdown.crash(recoveryPoint));
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private LogAppendInfo append(ByteBuffer batch, AppendOrigin origin) {
        LogAppendInfo info = log.append(batch, origin);
        log.advanceHighWatermark();
        return info;
    }

    /** The log reopened as after a crash: nothing synced since, no snapshot at the end. */
    private void crashAndReopen() {
        long recoveryPoint = log.recoveryPoint();
        log.closeWithoutFlush();
        open(false, recoveryPoint);
    }

    private void closeAndReopen() {
        log.close();
        open(true, log.recoveryPoint());
    }

    @Test
    void resendAfterACleanRestartIsStillADuplicate() {
        open(true, 0L);
        append(plain(1, utf8("x")), AppendOrigin.CLIENT);
        LogAppendInfo original = append(idempotent(PID, EPOCH, 0, 3, 1), AppendOrigin.CLIENT);

        closeAndReopen();

        assertTrue(Files.exists(snapshot(4)), "a clean close snapshots at the log end");
        LogAppendInfo resent = append(idempotent(PID, EPOCH, 0, 3, 1), AppendOrigin.CLIENT);
        assertTrue(resent.isDuplicate());
        assertEquals(original.firstOffset(), resent.firstOffset());
    }

    @Test
    void resendAfterACrashIsStillADuplicate() {
        open(true, 0L);
        append(idempotent(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT);
        log.roll(); // a snapshot at 2
        LogAppendInfo original = append(idempotent(PID, EPOCH, 2, 2, 1), AppendOrigin.CLIENT);

        crashAndReopen();

        LogAppendInfo resent = append(idempotent(PID, EPOCH, 2, 2, 1), AppendOrigin.CLIENT);
        assertTrue(resent.isDuplicate());
        assertEquals(original.firstOffset(), resent.firstOffset());
        assertTrue(
                append(idempotent(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT).isDuplicate(),
                "the batch before the snapshot too");
    }

    @Test
    void withoutAnySnapshotTheStateIsRebuiltFromTheWholeLog() throws IOException {
        open(true, 0L);
        append(idempotent(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT);
        log.roll();
        append(transactional(PID + 1, EPOCH, 0, 1, 1), AppendOrigin.CLIENT);
        log.closeWithoutFlush();
        deleteSnapshots();

        open(false, 0L);

        assertTrue(append(idempotent(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT).isDuplicate());
        assertEquals(2, log.lastStableOffset(), "the open transaction came back");
    }

    @Test
    void corruptNewestSnapshotFallsBackToTheOlderOne() throws IOException {
        open(true, 0L);
        append(idempotent(PID, EPOCH, 0, 1, 1), AppendOrigin.CLIENT);
        log.roll(); // snapshot at 1
        append(idempotent(PID, EPOCH, 1, 1, 1), AppendOrigin.CLIENT);
        log.roll(); // snapshot at 2
        append(idempotent(PID, EPOCH, 2, 1, 1), AppendOrigin.CLIENT);
        long recoveryPoint = log.recoveryPoint();
        log.closeWithoutFlush();
        try (RandomAccessFile raf = new RandomAccessFile(snapshot(2).toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int last = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(last ^ 0x01);
        }

        open(false, recoveryPoint);

        assertFalse(Files.exists(snapshot(2)), "the corrupt snapshot is deleted");
        for (int seq = 0; seq < 3; seq++) {
            assertTrue(
                    append(idempotent(PID, EPOCH, seq, 1, 1), AppendOrigin.CLIENT)
                            .isDuplicate(),
                    "seq " + seq);
        }
        assertEquals(3, log.logEndOffset());
    }

    @Test
    void openTransactionAndItsLastStableOffsetSurviveARestart() {
        open(true, 0L);
        append(plain(1, utf8("x")), AppendOrigin.CLIENT);
        append(transactional(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT);

        closeAndReopen();
        assertEquals(1, log.lastStableOffset());

        append(marker(ControlRecordType.COMMIT, PID, EPOCH, 0, 1), AppendOrigin.COORDINATOR);
        assertEquals(4, log.lastStableOffset());
    }

    @Test
    void aCrashRebuildsTheAbortedTransactionIndexWithoutDuplicates() {
        open(true, 0L);
        append(transactional(PID, EPOCH, 0, 1, 1), AppendOrigin.CLIENT);
        append(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1), AppendOrigin.COORDINATOR);
        log.roll(); // snapshot at 2
        append(transactional(PID, EPOCH, 1, 1, 1), AppendOrigin.CLIENT);
        append(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1), AppendOrigin.COORDINATOR);

        crashAndReopen();

        assertEquals(
                List.of(new AbortedTxn(PID, 0, 1, 2), new AbortedTxn(PID, 2, 3, 4)), log.abortedTransactions(0, 4));
    }

    @Test
    void recoveryThatCutsTheLogDropsSnapshotsAndAbortsPastTheCut() throws IOException {
        open(true, 0L);
        append(transactional(PID, EPOCH, 0, 1, 1), AppendOrigin.CLIENT); // 0
        int markerSize = marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1).remaining();
        append(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1), AppendOrigin.COORDINATOR); // 1
        log.close(); // snapshot at 2, with the transaction aborted
        open(true, log.recoveryPoint());
        log.closeWithoutFlush();
        Path segment = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.setLength(raf.length() - markerSize); // the marker never reached the disk
        }

        open(false, 0L);

        assertEquals(1, log.logEndOffset());
        assertFalse(Files.exists(snapshot(2)), "a snapshot past the log end is deleted");
        assertTrue(log.abortedTransactions(0, 2).isEmpty(), "the abort went with its marker");
        assertEquals(0, log.lastStableOffset(), "the transaction is open again");
        assertThrows(
                OutOfOrderSequenceException.class,
                () -> append(transactional(PID, EPOCH, 2, 1, 1), AppendOrigin.CLIENT));
    }

    @Test
    void snapshotsKeptAreTheNewestTwoAndTheNewestAtOrBelowTheRecoveryPoint() throws IOException {
        open(true, 0L);
        append(plain(1, utf8("x")), AppendOrigin.CLIENT);
        log.roll(); // snapshot at 1
        log.flushRolledSegments(); // recovery point 1
        for (int i = 2; i <= 4; i++) {
            append(plain(1, utf8("x")), AppendOrigin.CLIENT);
            log.roll(); // snapshots at 2, 3, 4
        }

        assertEquals(List.of(1L, 3L, 4L), snapshotOffsets());
    }

    private Path snapshot(long offset) {
        return dir.resolve(LogSegment.fileName(offset, ProducerStateSnapshots.SUFFIX));
    }

    private List<Long> snapshotOffsets() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(ProducerStateSnapshots.SUFFIX))
                    .map(n -> Long.parseLong(n.substring(0, 20)))
                    .sorted()
                    .toList();
        }
    }

    private void deleteSnapshots() throws IOException {
        for (long offset : snapshotOffsets()) {
            Files.delete(snapshot(offset));
        }
    }
}
