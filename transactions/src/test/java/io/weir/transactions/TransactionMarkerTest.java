package io.weir.transactions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.utils.MockTime;
import io.weir.transactions.errors.CoordinatorFencedException;
import io.weir.transactions.errors.ProducerFencedException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Transaction markers, coordinator batches, the first unstable offset and the end offset across batches
 * without a producer id: one behaviour of {@link ProducerStateManager} each. Batches land from offset 100 on.
 */
class TransactionMarkerTest {
    private static final long PID = 42L;
    private static final short EPOCH = 3;
    private static final long EXPIRATION_MS = 60_000L;

    private final MockTime clock = new MockTime(1_000_000L);
    private final ProducerStateConfig config = new ProducerStateConfig(EXPIRATION_MS);
    private final ProducerStateManager state = ProducerStateManager.create(config, clock);
    private long logEnd = 100L;

    @Test
    void commitMarkerEndsTheOpenTransactionAndReturnsIt() {
        append(PID, EPOCH, 0, 1, true);
        append(PID, EPOCH, 2, 2, true);

        Optional<CompletedTxn> completed = marker(PID, EPOCH, 0, TransactionResult.COMMIT);

        assertEquals(Optional.of(new CompletedTxn(PID, 100, 103, TransactionResult.COMMIT)), completed);
        assertFalse(state.producer(PID).orElseThrow().hasOpenTransaction());
        assertEquals(OptionalLong.empty(), state.firstUnstableOffset());
        assertEquals(104, state.endOffset());
    }

    @Test
    void abortMarkerReturnsAnAbortedTransactionEndingAtTheMarker() {
        append(PID, EPOCH, 0, 0, true);
        logEnd += 5; // other producers' batches

        CompletedTxn completed = marker(PID, EPOCH, 0, TransactionResult.ABORT).orElseThrow();

        assertTrue(completed.isAborted());
        assertEquals(100, completed.firstOffset());
        assertEquals(106, completed.lastOffset());
    }

    @Test
    void markerWithNoOpenTransactionEndsNothingButIsWritten() {
        append(PID, EPOCH, 0, 0, false);

        assertEquals(Optional.empty(), marker(PID, EPOCH, 0, TransactionResult.COMMIT));
        assertEquals(102, state.endOffset());
        assertEquals(0, state.producer(PID).orElseThrow().coordinatorEpoch());
    }

    @Test
    void markerForAnUnknownProducerRecordsItsEpochsAndTheNextBatchStartsAtZero() {
        assertEquals(Optional.empty(), marker(PID, EPOCH, 2, TransactionResult.ABORT));

        ProducerStateEntry entry = state.producer(PID).orElseThrow();
        assertEquals(EPOCH, entry.epoch());
        assertEquals(2, entry.coordinatorEpoch());
        assertEquals(List.of(), entry.batches());
        assertEquals(new Verdict.OutOfOrder(PID, EPOCH, 0, 5), state.check(PID, EPOCH, 5, 5, true));
        assertInstanceOf(Verdict.Append.class, state.check(PID, EPOCH, 0, 0, true));
    }

    @Test
    void markerWithALowerEpochIsFenced() {
        append(PID, EPOCH, 0, 0, true);

        MarkerVerdict verdict = state.checkMarker(PID, (short) (EPOCH - 1), 0, TransactionResult.COMMIT);

        assertEquals(new Verdict.Fenced(PID, EPOCH, (short) (EPOCH - 1)), verdict);
        assertInstanceOf(ProducerFencedException.class, ((MarkerVerdict.Rejected) verdict).toException());
    }

    @Test
    void markerWithALowerCoordinatorEpochIsCoordinatorFenced() {
        append(PID, EPOCH, 0, 0, true);
        marker(PID, EPOCH, 5, TransactionResult.COMMIT);
        append(PID, EPOCH, 1, 1, true);

        MarkerVerdict verdict = state.checkMarker(PID, EPOCH, 4, TransactionResult.ABORT);

        assertEquals(new MarkerVerdict.CoordinatorFenced(PID, 5, 4), verdict);
        CoordinatorFencedException error =
                assertInstanceOf(CoordinatorFencedException.class, ((MarkerVerdict.Rejected) verdict).toException());
        assertEquals(5, error.currentCoordinatorEpoch());
        assertEquals(4, error.receivedCoordinatorEpoch());
        assertTrue(state.producer(PID).orElseThrow().hasOpenTransaction(), "the rejected marker ended nothing");
    }

    @Test
    void markerWithAHigherEpochTakesItOnSoTheNextBatchMustStartAtZero() {
        append(PID, EPOCH, 0, 4, true);
        short bumped = EPOCH + 1;

        CompletedTxn aborted = marker(PID, bumped, 0, TransactionResult.ABORT).orElseThrow();

        assertEquals(100, aborted.firstOffset());
        assertEquals(bumped, state.producer(PID).orElseThrow().epoch());
        assertEquals(new Verdict.Fenced(PID, bumped, EPOCH), state.check(PID, EPOCH, 5, 5, true));
        assertEquals(new Verdict.OutOfOrder(PID, bumped, 0, 5), state.check(PID, bumped, 5, 5, true));
        assertInstanceOf(Verdict.Append.class, state.check(PID, bumped, 0, 0, true));
    }

    @Test
    void markerUnderTheSameEpochKeepsTheWindowSoResendsStayDuplicates() {
        append(PID, EPOCH, 0, 1, true);
        marker(PID, EPOCH, 0, TransactionResult.COMMIT);

        Verdict.Duplicate duplicate = assertInstanceOf(Verdict.Duplicate.class, state.check(PID, EPOCH, 0, 1, true));
        assertEquals(100, duplicate.firstOffset());
        assertInstanceOf(Verdict.Append.class, state.check(PID, EPOCH, 2, 2, true));
    }

    @Test
    void checkMarkerHasNoSideEffects() {
        append(PID, EPOCH, 0, 0, true);
        byte[] before = state.snapshot();

        MarkerVerdict first = state.checkMarker(PID, EPOCH, 0, TransactionResult.ABORT);
        MarkerVerdict again = state.checkMarker(PID, EPOCH, 0, TransactionResult.ABORT);

        assertEquals(first, again);
        assertArrayEquals(before, state.snapshot());
        assertEquals(OptionalLong.of(100), state.firstUnstableOffset());
    }

    @Test
    void applyMarkerRefusesAMarkerComputedAgainstAnOlderState() {
        append(PID, EPOCH, 0, 0, true);
        MarkerVerdict.EndTxn stale = (MarkerVerdict.EndTxn) state.checkMarker(PID, EPOCH, 0, TransactionResult.ABORT);
        append(PID, EPOCH, 1, 1, true);

        assertThrows(IllegalStateException.class, () -> state.applyMarker(stale, logEnd, 0));
        assertTrue(state.producer(PID).orElseThrow().hasOpenTransaction());
    }

    @Test
    void firstUnstableOffsetIsTheOldestOpenTransaction() {
        assertEquals(OptionalLong.empty(), state.firstUnstableOffset());
        append(PID, EPOCH, 0, 0, true);
        append(PID + 1, EPOCH, 0, 0, true);
        append(PID, EPOCH, 1, 1, true);
        assertEquals(OptionalLong.of(100), state.firstUnstableOffset());

        marker(PID, EPOCH, 0, TransactionResult.COMMIT);
        assertEquals(OptionalLong.of(101), state.firstUnstableOffset());

        marker(PID + 1, EPOCH, 0, TransactionResult.ABORT);
        assertEquals(OptionalLong.empty(), state.firstUnstableOffset());
    }

    @Test
    void coordinatorBatchOpensATransactionWithoutTouchingTheSequence() {
        append(PID, EPOCH, 0, 1, false);

        Verdict.Append append = assertInstanceOf(Verdict.Append.class, state.checkCoordinatorBatch(PID, EPOCH));
        state.apply(append, 102, 104, 7);

        ProducerStateEntry entry = state.producer(PID).orElseThrow();
        assertEquals(OptionalLong.of(102), entry.currentTxnFirstOffset());
        assertEquals(1, entry.batches().size(), "the coordinator's batch is not cached");
        assertEquals(7, entry.lastTimestamp());
        assertEquals(OptionalLong.of(102), state.firstUnstableOffset());
        assertEquals(105, state.endOffset());
        assertInstanceOf(Verdict.Append.class, state.check(PID, EPOCH, 2, 2, true));
    }

    @Test
    void coordinatorBatchForAnUnknownProducerOpensItsTransaction() {
        state.apply((Verdict.Append) state.checkCoordinatorBatch(PID, EPOCH), 100, 100, 7);
        logEnd = 101;

        assertEquals(OptionalLong.of(100), state.firstUnstableOffset());
        assertEquals(
                Optional.of(new CompletedTxn(PID, 100, 101, TransactionResult.COMMIT)),
                marker(PID, EPOCH, 0, TransactionResult.COMMIT));
    }

    @Test
    void coordinatorBatchWithALowerEpochIsFenced() {
        append(PID, EPOCH, 0, 0, true);

        assertEquals(new Verdict.Fenced(PID, EPOCH, (short) 1), state.checkCoordinatorBatch(PID, (short) 1));
    }

    @Test
    void advanceEndOffsetLetsASnapshotBeTakenBetweenBatches() {
        append(PID, EPOCH, 0, 0, true);
        state.advanceEndOffset(110); // a batch without producer id at 101..109
        state.advanceEndOffset(105); // never backwards

        ProducerStateManager restored = ProducerStateManager.restore(state.snapshot(), config, clock);

        assertEquals(110, restored.endOffset());
        assertEquals(OptionalLong.of(100), restored.firstUnstableOffset());
        assertEquals(state.producers(), restored.producers());
    }

    @Test
    void replayedMarkerEndsTheTransactionAndOneAlreadyReflectedIsSkipped() {
        ProducerStateManager replayed = ProducerStateManager.create(config, clock);
        replayed.applyLoaded(PID, EPOCH, 0, 1, true, 100, 101, 5);
        replayed.advanceEndOffset(105);

        assertEquals(
                Optional.empty(),
                replayed.applyLoadedMarker(PID, EPOCH, 0, TransactionResult.ABORT, 104, 6),
                "below the end offset");
        assertEquals(
                Optional.of(new CompletedTxn(PID, 100, 105, TransactionResult.ABORT)),
                replayed.applyLoadedMarker(PID, EPOCH, 0, TransactionResult.ABORT, 105, 6));
        assertEquals(OptionalLong.empty(), replayed.firstUnstableOffset());
        assertEquals(106, replayed.endOffset());
    }

    @Test
    void replayedCoordinatorBatchOpensATransaction() {
        ProducerStateManager replayed = ProducerStateManager.create(config, clock);

        assertTrue(replayed.applyLoaded(
                PID, EPOCH, ProducerStateManager.NO_SEQUENCE, ProducerStateManager.NO_SEQUENCE, true, 100, 102, 5));

        assertEquals(OptionalLong.of(100), replayed.firstUnstableOffset());
        assertEquals(List.of(), replayed.producer(PID).orElseThrow().batches());
    }

    @Test
    void replayRefusesAnUnsequencedBatchThatIsNotTransactional() {
        assertThrows(
                IllegalArgumentException.class,
                () -> state.applyLoaded(
                        PID,
                        EPOCH,
                        ProducerStateManager.NO_SEQUENCE,
                        ProducerStateManager.NO_SEQUENCE,
                        false,
                        100,
                        100,
                        5));
    }

    @Test
    void advancingTheEndOffsetToTheLogStartKeepsEveryProducer() {
        append(PID, EPOCH, 0, 0, false); // 100
        append(PID + 1, EPOCH, 0, 0, true); // 101, transaction left open

        state.advanceEndOffset(500);

        assertEquals(500, state.endOffset());
        assertEquals(
                List.of(PID, PID + 1),
                state.producers().keySet().stream().sorted().toList());
    }

    @Test
    void expiredProducerIsDroppedOnlyOnceItsTransactionEnded() {
        append(PID, EPOCH, 0, 0, true);
        clock.sleep(2 * EXPIRATION_MS);
        assertEquals(0, state.removeExpired());

        marker(PID, EPOCH, 0, TransactionResult.COMMIT);
        clock.sleep(EXPIRATION_MS);

        assertEquals(1, state.removeExpired());
        assertEquals(new Verdict.UnknownProducerId(PID, 1), state.check(PID, EPOCH, 1, 1, true));
    }

    private void append(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional) {
        Verdict.Append append = assertInstanceOf(
                Verdict.Append.class, state.check(producerId, epoch, firstSeq, lastSeq, transactional));
        long count = lastSeq - firstSeq + 1L;
        state.apply(append, logEnd, logEnd + count - 1, clock.milliseconds());
        logEnd += count;
    }

    private Optional<CompletedTxn> marker(
            long producerId, short epoch, int coordinatorEpoch, TransactionResult result) {
        MarkerVerdict.EndTxn endTxn = assertInstanceOf(
                MarkerVerdict.EndTxn.class, state.checkMarker(producerId, epoch, coordinatorEpoch, result));
        return state.applyMarker(endTxn, logEnd++, clock.milliseconds());
    }
}
