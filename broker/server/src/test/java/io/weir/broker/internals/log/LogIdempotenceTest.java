package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.ProducerBatches.idempotent;
import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.errors.InvalidTxnStateException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.UnknownProducerIdException;
import io.weir.common.errors.WeirException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.ProducerStateEntry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's idempotent-producer checks on the produce path, one behaviour each. */
class LogIdempotenceTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);
    private static final long PID = 7L;
    private static final short EPOCH = 2;
    private static final long EXPIRATION_MS = 60_000L;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private Log log;

    private Log open() {
        log = Log.open(dir, TP, LogConfig.DEFAULTS, new ProducerStateConfig(EXPIRATION_MS), time, Shutdown.CLEAN);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private LogAppendInfo append(ByteBuffer batch) {
        LogAppendInfo info = log.append(batch, AppendOrigin.CLIENT);
        log.advanceHighWatermark();
        return info;
    }

    @Test
    void firstBatchOfAProducerIsAppendedAndRecorded() {
        open();

        LogAppendInfo info = append(idempotent(PID, EPOCH, 0, 3, 100));

        assertFalse(info.isDuplicate());
        ProducerStateEntry entry = log.producers().get(PID);
        assertEquals(EPOCH, entry.epoch());
        assertEquals(2, entry.lastSeq());
        assertEquals(0, entry.batches().get(0).firstOffset());
    }

    @Test
    void resendOfEachOfTheLastFiveBatchesIsAcknowledgedWithItsOriginalOffsets() {
        open();
        List<LogAppendInfo> originals = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            append(plain(100, utf8("other " + i)));
            originals.add(append(idempotent(PID, EPOCH, 2 * i, 2, 100)));
        }
        long end = log.logEndOffset();

        for (int i = 1; i < 6; i++) {
            LogAppendInfo resent = append(idempotent(PID, EPOCH, 2 * i, 2, 100));

            assertTrue(resent.isDuplicate(), "resend of batch " + i);
            assertEquals(originals.get(i).firstOffset(), resent.firstOffset(), "first offset of batch " + i);
            assertEquals(originals.get(i).lastOffset(), resent.lastOffset(), "last offset of batch " + i);
        }
        assertEquals(end, log.logEndOffset(), "nothing was written");
        assertThrows(
                OutOfOrderSequenceException.class,
                () -> append(idempotent(PID, EPOCH, 0, 2, 100)),
                "the sixth-newest batch is out of the window");
    }

    @Test
    void sequenceGapIsRefusedWithOutOfOrderNamingPartitionProducerAndSequences() {
        open();
        append(idempotent(PID, EPOCH, 0, 3, 100));

        OutOfOrderSequenceException e =
                assertThrows(OutOfOrderSequenceException.class, () -> append(idempotent(PID, EPOCH, 5, 1, 100)));

        assertMentions(e, "orders-3", "producer 7", "expected 3", "received 5");
        assertEquals(3, log.logEndOffset());
    }

    @Test
    void olderEpochIsFencedWithInvalidProducerEpoch() {
        open();
        append(idempotent(PID, EPOCH, 0, 1, 100));

        InvalidProducerEpochException e = assertThrows(
                InvalidProducerEpochException.class, () -> append(idempotent(PID, (short) (EPOCH - 1), 1, 1, 100)));

        assertMentions(e, "orders-3", "producer 7", "current epoch 2", "received epoch 1");
    }

    @Test
    void newEpochMustStartAtSequenceZero() {
        open();
        append(idempotent(PID, EPOCH, 0, 4, 100));
        short bumped = EPOCH + 1;

        OutOfOrderSequenceException e =
                assertThrows(OutOfOrderSequenceException.class, () -> append(idempotent(PID, bumped, 4, 1, 100)));

        assertMentions(e, "expected 0", "received 4");
        assertFalse(append(idempotent(PID, bumped, 0, 1, 100)).isDuplicate());
    }

    @Test
    void unknownProducerNotStartingAtZeroGetsUnknownProducerId() {
        open();

        UnknownProducerIdException e =
                assertThrows(UnknownProducerIdException.class, () -> append(idempotent(PID, EPOCH, 9, 1, 100)));

        assertMentions(e, "orders-3", "producer 7", "sequence 9");
    }

    @Test
    void nonTransactionalBatchDuringTheProducersOpenTransactionIsInvalidTxnState() {
        open();
        append(transactional(PID, EPOCH, 0, 1, 100));

        InvalidTxnStateException e =
                assertThrows(InvalidTxnStateException.class, () -> append(idempotent(PID, EPOCH, 1, 1, 100)));

        assertMentions(e, "orders-3", "producer 7");
    }

    @Test
    void clientControlBatchIsRefusedNamingThePartition() {
        open();

        InvalidRecordException e = assertThrows(
                InvalidRecordException.class,
                () -> append(ProducerBatches.marker(ControlRecordType.COMMIT, PID, EPOCH, 0, 100)));

        assertMentions(e, "orders-3", "control batch");
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void producerBatchSharingItsAppendWithAnotherBatchIsRefused() {
        open();
        ByteBuffer first = idempotent(PID, EPOCH, 0, 1, 100);
        ByteBuffer second = plain(100, utf8("x"));
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining())
                .put(first)
                .put(second)
                .flip();

        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> append(both));

        assertMentions(e, "orders-3", "2 batches", "only one");
    }

    @Test
    void clientBatchWithAProducerIdButNoSequenceIsRefused() {
        open();

        InvalidRecordException e = assertThrows(
                InvalidRecordException.class,
                () -> append(ProducerBatches.coordinatorBatch(PID, EPOCH, 100, utf8("offsets"))));

        assertMentions(e, "orders-3", "no sequence");
    }

    @Test
    void expiredProducerGetsUnknownProducerIdForItsNextBatch() {
        open();
        append(idempotent(PID, EPOCH, 0, 1, time.milliseconds()));
        time.sleep(EXPIRATION_MS - 1);
        assertEquals(0, log.removeExpiredProducers());
        time.sleep(1);

        assertEquals(1, log.removeExpiredProducers());

        assertTrue(log.producers().isEmpty());
        assertThrows(UnknownProducerIdException.class, () -> append(idempotent(PID, EPOCH, 1, 1, time.milliseconds())));
        assertFalse(
                append(idempotent(PID, (short) (EPOCH + 1), 0, 1, time.milliseconds()))
                        .isDuplicate(),
                "the client recovers by bumping its epoch and starting over");
    }

    @Test
    void producersAreAnImmutableCopy() {
        open();
        append(idempotent(PID, EPOCH, 0, 1, 100));
        Map<Long, ProducerStateEntry> before = log.producers();

        append(idempotent(PID + 1, EPOCH, 0, 1, 100));

        assertEquals(1, before.size());
        assertThrows(UnsupportedOperationException.class, () -> before.remove(PID));
    }

    @Test
    void sequenceGapCarriesPartitionProducerEpochAndBothSequencesAsFields() {
        open();
        append(idempotent(PID, EPOCH, 0, 3, 100));

        OutOfOrderSequenceException e =
                assertThrows(OutOfOrderSequenceException.class, () -> append(idempotent(PID, EPOCH, 5, 1, 100)));

        assertEquals(TP, e.topicPartition());
        assertEquals(PID, e.producerId());
        assertEquals(EPOCH, e.epoch());
        assertEquals(3, e.expectedSequence());
        assertEquals(5, e.receivedSequence());
    }

    @Test
    void olderEpochCarriesTheCurrentAndTheReceivedEpochAsFields() {
        open();
        append(idempotent(PID, EPOCH, 0, 1, 100));

        InvalidProducerEpochException e = assertThrows(
                InvalidProducerEpochException.class, () -> append(idempotent(PID, (short) (EPOCH - 1), 1, 1, 100)));

        assertEquals(TP, e.topicPartition());
        assertEquals(PID, e.producerId());
        assertEquals(EPOCH, e.currentEpoch());
        assertEquals(EPOCH - 1, e.receivedEpoch());
    }

    @Test
    void unknownProducerCarriesItsIdAndReceivedSequenceAsFields() {
        open();

        UnknownProducerIdException e =
                assertThrows(UnknownProducerIdException.class, () -> append(idempotent(PID, EPOCH, 9, 1, 100)));

        assertEquals(TP, e.topicPartition());
        assertEquals(PID, e.producerId());
        assertEquals(9, e.receivedSequence());
    }

    @Test
    void invalidTxnStateCarriesTheOpenTransactionsFirstOffsetAsAField() {
        open();
        append(plain(100, utf8("before")));
        append(transactional(PID, EPOCH, 0, 1, 100));

        InvalidTxnStateException e =
                assertThrows(InvalidTxnStateException.class, () -> append(idempotent(PID, EPOCH, 1, 1, 100)));

        assertEquals(TP, e.topicPartition());
        assertEquals(PID, e.producerId());
        assertEquals(1, e.transactionFirstOffset());
    }

    private static void assertMentions(WeirException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
