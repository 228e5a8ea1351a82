package io.weir.transactions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.utils.MockTime;
import io.weir.transactions.errors.OutOfOrderSequenceException;
import io.weir.transactions.errors.ProducerFencedException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** One behaviour of {@link ProducerStateManager} each; the batches of a test land at offsets from 100 on. */
class ProducerStateManagerTest {
    private static final long PID = 42L;
    private static final short EPOCH = 3;
    private static final long EXPIRATION_MS = 60_000L;

    private final MockTime clock = new MockTime(1_000_000L);
    private final ProducerStateManager state =
            ProducerStateManager.create(new ProducerStateConfig(EXPIRATION_MS), clock);
    /** The log end: where the next appended batch lands. */
    private long logEnd = 100L;

    @Test
    void firstBatchOfNewProducerAtSequenceZeroAppends() {
        Verdict verdict = state.check(PID, EPOCH, 0, 4, false);

        Verdict.Append append = assertInstanceOf(Verdict.Append.class, verdict);
        assertTrue(append.basedOn().isEmpty());
        state.apply(append, 100, 104, clock.milliseconds());
        ProducerStateEntry entry = state.producer(PID).orElseThrow();
        assertEquals(EPOCH, entry.epoch());
        assertEquals(List.of(new BatchMetadata(0, 4, 100, 104, clock.milliseconds())), entry.batches());
        assertEquals(105, state.endOffset());
    }

    @Test
    void batchContinuingAtLastSequencePlusOneAppends() {
        append(PID, EPOCH, 0, 4);

        assertInstanceOf(Verdict.Append.class, state.check(PID, EPOCH, 5, 9, false));
    }

    @Test
    void exactResendOfAnyOfTheLastFiveBatchesIsDuplicateWithOriginalOffsets() {
        for (int i = 0; i < 7; i++) {
            append(PID, EPOCH, i * 2, i * 2 + 1);
        }
        // Batches 2..6 (sequences 4..13) are the cached five; they were appended at offsets 104..113.
        for (int i = 2; i < 7; i++) {
            Verdict verdict = state.check(PID, EPOCH, i * 2, i * 2 + 1, false);

            Verdict.Duplicate duplicate = assertInstanceOf(Verdict.Duplicate.class, verdict);
            assertEquals(100 + i * 2, duplicate.firstOffset());
            assertEquals(100 + i * 2 + 1, duplicate.lastOffset());
        }
    }

    @Test
    void resendOlderThanTheLastFiveBatchesIsOutOfOrder() {
        for (int i = 0; i < 6; i++) {
            append(PID, EPOCH, i, i);
        }

        assertEquals(new Verdict.OutOfOrder(PID, EPOCH, 6, 0), state.check(PID, EPOCH, 0, 0, false));
    }

    @Test
    void resendWithOtherSequenceBoundsIsNotADuplicate() {
        append(PID, EPOCH, 0, 4);

        assertEquals(new Verdict.OutOfOrder(PID, EPOCH, 5, 0), state.check(PID, EPOCH, 0, 3, false));
    }

    @Test
    void sequenceGapIsOutOfOrderNamingExpectedAndReceived() {
        append(PID, EPOCH, 0, 4);

        Verdict verdict = state.check(PID, EPOCH, 7, 9, false);

        assertEquals(new Verdict.OutOfOrder(PID, EPOCH, 5, 7), verdict);
        OutOfOrderSequenceException error =
                assertInstanceOf(OutOfOrderSequenceException.class, ((Verdict.Rejected) verdict).toException());
        assertEquals(PID, error.producerId());
        assertEquals(5, error.expectedSequence());
        assertEquals(7, error.receivedSequence());
    }

    @Test
    void lowerEpochIsFenced() {
        append(PID, EPOCH, 0, 0);

        Verdict verdict = state.check(PID, (short) (EPOCH - 1), 1, 1, false);

        assertEquals(new Verdict.Fenced(PID, EPOCH, (short) (EPOCH - 1)), verdict);
        ProducerFencedException error =
                assertInstanceOf(ProducerFencedException.class, ((Verdict.Rejected) verdict).toException());
        assertEquals(EPOCH, error.currentEpoch());
        assertEquals(EPOCH - 1, error.receivedEpoch());
    }

    @Test
    void lowerEpochResendOfCachedSequencesIsFencedNotDuplicate() {
        append(PID, EPOCH, 0, 0);

        assertInstanceOf(Verdict.Fenced.class, state.check(PID, (short) (EPOCH - 1), 0, 0, false));
    }

    @Test
    void higherEpochNotStartingAtZeroIsOutOfOrder() {
        append(PID, EPOCH, 0, 4);

        assertEquals(
                new Verdict.OutOfOrder(PID, (short) (EPOCH + 1), 0, 5),
                state.check(PID, (short) (EPOCH + 1), 5, 5, false));
    }

    @Test
    void higherEpochStartingAtZeroAppendsAndClearsCachedBatches() {
        append(PID, EPOCH, 0, 4);
        append(PID, EPOCH, 5, 9);

        append(PID, (short) (EPOCH + 1), 0, 1);

        ProducerStateEntry entry = state.producer(PID).orElseThrow();
        assertEquals(EPOCH + 1, entry.epoch());
        assertEquals(1, entry.batches().size());
        assertEquals(new Verdict.Fenced(PID, (short) (EPOCH + 1), EPOCH), state.check(PID, EPOCH, 5, 9, false));
    }

    @Test
    void sequenceWrapsFromIntegerMaxValueToZero() {
        int max = Integer.MAX_VALUE;
        // Reaching the top by appending would take 2^31 records; a replayed batch puts the producer there.
        state.applyLoaded(PID, EPOCH, max - 4, max - 2, false, 100, 102, clock.milliseconds());
        logEnd = 103;
        append(PID, EPOCH, max - 1, max);

        assertEquals(new Verdict.OutOfOrder(PID, EPOCH, 0, 1), state.check(PID, EPOCH, 1, 1, false));
        append(PID, EPOCH, 0, 2);
        assertEquals(
                new Verdict.Duplicate(PID, EPOCH, new BatchMetadata(max - 1, max, 103, 104, clock.milliseconds())),
                state.check(PID, EPOCH, max - 1, max, false));
    }

    @Test
    void batchSpanningIntegerMaxValueWrapsItsLastSequence() {
        int max = Integer.MAX_VALUE;
        state.applyLoaded(PID, EPOCH, max - 9, max - 2, false, 100, 107, clock.milliseconds());
        logEnd = 108;

        append(PID, EPOCH, max - 1, 2);

        assertEquals(2, state.producer(PID).orElseThrow().lastSeq());
        assertEquals(113, state.endOffset());
        assertInstanceOf(Verdict.Append.class, state.check(PID, EPOCH, 3, 3, false));
    }

    @Test
    void resendOfARangeTheWindowHoldsTwiceMatchesTheNewerBatch() {
        // Only a replay builds this: the producer expired after its first window, restarted at 0, and the
        // log's batches read back as one window that covers every sequence.
        long restart = 101L + Integer.MAX_VALUE;
        state.applyLoaded(PID, EPOCH, 0, 0, false, 100, 100, 0);
        state.applyLoaded(PID, EPOCH, 1, Integer.MAX_VALUE, false, 101, restart - 1, 0);
        state.applyLoaded(PID, EPOCH, 0, 0, false, restart, restart, 0);
        long newer = restart;

        Verdict.Duplicate duplicate = assertInstanceOf(Verdict.Duplicate.class, state.check(PID, EPOCH, 0, 0, false));

        assertEquals(newer, duplicate.firstOffset());
    }

    @Test
    void unknownProducerIdWithNonZeroFirstSequenceIsRejected() {
        Verdict verdict = state.check(PID, EPOCH, 5, 9, false);

        assertEquals(new Verdict.UnknownProducerId(PID, 5), verdict);
        assertTrue(state.producers().isEmpty());
    }

    @Test
    void checkHasNoSideEffects() {
        append(PID, EPOCH, 0, 4);
        byte[] before = state.snapshot();
        List<Verdict> verdicts = List.of(
                state.check(PID, EPOCH, 5, 9, false),
                state.check(PID, EPOCH, 0, 4, false),
                state.check(PID, EPOCH, 8, 9, false),
                state.check(PID, (short) (EPOCH + 1), 0, 0, true),
                state.check(PID + 1, EPOCH, 0, 0, false));

        for (int round = 0; round < 2; round++) {
            assertEquals(
                    verdicts,
                    List.of(
                            state.check(PID, EPOCH, 5, 9, false),
                            state.check(PID, EPOCH, 0, 4, false),
                            state.check(PID, EPOCH, 8, 9, false),
                            state.check(PID, (short) (EPOCH + 1), 0, 0, true),
                            state.check(PID + 1, EPOCH, 0, 0, false)));
        }
        assertArrayEquals(before, state.snapshot());
        assertEquals(1, state.producers().size());
    }

    @Test
    void applyRefusesAnAppendComputedAgainstAnOlderState() {
        append(PID, EPOCH, 0, 0);
        Verdict.Append first = (Verdict.Append) state.check(PID, EPOCH, 1, 1, false);
        Verdict.Append second = (Verdict.Append) state.check(PID, EPOCH, 1, 1, false);
        state.apply(first, 101, 101, 0);

        assertThrows(IllegalStateException.class, () -> state.apply(second, 102, 102, 0));
        assertEquals(102, state.endOffset());
    }

    @Test
    void applyRefusesOffsetsBelowTheEndOffset() {
        append(PID, EPOCH, 0, 0);
        Verdict.Append next = (Verdict.Append) state.check(PID, EPOCH, 1, 1, false);

        assertThrows(IllegalArgumentException.class, () -> state.apply(next, 100, 100, 0));
        assertEquals(1, state.producer(PID).orElseThrow().batches().size());
        assertEquals(101, state.endOffset());
    }

    @Test
    void applyRefusesOffsetsThatDoNotCoverTheSequences() {
        Verdict.Append next = (Verdict.Append) state.check(PID, EPOCH, 0, 4, false);

        assertThrows(IllegalArgumentException.class, () -> state.apply(next, 100, 102, 0));
        assertTrue(state.producers().isEmpty());
    }

    @Test
    void checkRejectsNegativeSequencesAsNotIdempotent() {
        assertThrows(IllegalArgumentException.class, () -> state.check(PID, EPOCH, -1, -1, false));
    }

    @Test
    void transactionalBatchOpensTransactionAtItsFirstOffset() {
        append(PID, EPOCH, 0, 1, true);
        append(PID, EPOCH, 2, 3, true);

        assertEquals(OptionalLong.of(100), state.producer(PID).orElseThrow().currentTxnFirstOffset());
    }

    @Test
    void nonTransactionalBatchWhileTransactionIsOpenIsInvalidTxnState() {
        append(PID, EPOCH, 0, 1, true);

        assertEquals(new Verdict.InvalidTxnState(PID, 100), state.check(PID, EPOCH, 2, 2, false));
    }

    @Test
    void removesProducersIdleForTheExpirationAndKeepsOthers() {
        append(PID, EPOCH, 0, 0);
        clock.sleep(EXPIRATION_MS / 2);
        append(PID + 1, EPOCH, 0, 0);

        clock.sleep(EXPIRATION_MS / 2 - 1);
        assertEquals(0, state.removeExpired());
        clock.sleep(1);
        assertEquals(1, state.removeExpired());

        assertFalse(state.producer(PID).isPresent());
        assertTrue(state.producer(PID + 1).isPresent());
        assertEquals(new Verdict.UnknownProducerId(PID, 1), state.check(PID, EPOCH, 1, 1, false));
    }

    @Test
    void producerWithOpenTransactionNeverExpires() {
        append(PID, EPOCH, 0, 0, true);
        clock.sleep(10 * EXPIRATION_MS);

        assertEquals(0, state.removeExpired());
        assertTrue(state.producer(PID).isPresent());
    }

    @Test
    void restoredSnapshotHoldsEveryProducerAndItsOffset() {
        for (int i = 0; i < 7; i++) {
            append(PID, EPOCH, i, i);
        }
        append(PID + 1, (short) 0, 0, 9, true);
        append(PID + 2, (short) 7, 0, 0);

        ProducerStateManager restored =
                ProducerStateManager.restore(state.snapshot(), new ProducerStateConfig(EXPIRATION_MS), clock);

        assertEquals(state.producers(), restored.producers());
        assertEquals(state.endOffset(), restored.endOffset());
        assertEquals(state.check(PID, EPOCH, 2, 2, false), restored.check(PID, EPOCH, 2, 2, false));
    }

    @Test
    void replayingBatchesAlreadyInTheSnapshotChangesNothing() {
        append(PID, EPOCH, 0, 0);
        append(PID, EPOCH, 1, 1);
        ProducerStateManager restored =
                ProducerStateManager.restore(state.snapshot(), new ProducerStateConfig(EXPIRATION_MS), clock);

        assertFalse(restored.applyLoaded(PID, EPOCH, 0, 0, false, 100, 100, 0));
        assertFalse(restored.applyLoaded(PID, EPOCH, 1, 1, false, 101, 101, 0));
        assertTrue(restored.applyLoaded(PID, EPOCH, 2, 2, false, 102, 102, 0));
        assertFalse(restored.applyLoaded(PID, EPOCH, 2, 2, false, 102, 102, 0));

        assertEquals(3, restored.producer(PID).orElseThrow().batches().size());
        assertEquals(103, restored.endOffset());
    }

    @Test
    void replayedBatchThatDoesNotContinueTheWindowStartsANewOne() {
        append(PID, EPOCH, 0, 0);
        append(PID, EPOCH, 1, 1);

        // The producer expired after a snapshot and started over at 0: the log shows only the restart.
        state.applyLoaded(PID, EPOCH, 0, 0, false, 150, 150, 0);

        assertEquals(
                List.of(new BatchMetadata(0, 0, 150, 150, 0)),
                state.producer(PID).orElseThrow().batches());
    }

    private void append(long producerId, short epoch, int firstSeq, int lastSeq) {
        append(producerId, epoch, firstSeq, lastSeq, false);
    }

    private void append(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional) {
        Verdict verdict = state.check(producerId, epoch, firstSeq, lastSeq, transactional);
        Verdict.Append append = assertInstanceOf(Verdict.Append.class, verdict);
        long count = lastSeq >= firstSeq ? lastSeq - firstSeq + 1L : lastSeq + 1L + (Integer.MAX_VALUE - firstSeq) + 1L;
        state.apply(append, logEnd, logEnd + count - 1, clock.milliseconds());
        logEnd += count;
    }
}
