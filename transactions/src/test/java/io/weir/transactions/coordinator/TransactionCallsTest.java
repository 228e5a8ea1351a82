package io.weir.transactions.coordinator;

import static io.weir.transactions.coordinator.CoordinatorFixture.OFFSETS;
import static io.weir.transactions.coordinator.CoordinatorFixture.P0;
import static io.weir.transactions.coordinator.CoordinatorFixture.P1;
import static io.weir.transactions.coordinator.CoordinatorFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AddPartitions, EndTxn and the transactional offset gate, each transition and each bad input. */
class TransactionCallsTest {
    private final CoordinatorFixture f = new CoordinatorFixture();

    @Test
    void firstAddPartitionsOpensTheTransactionNow() {
        InitProducerIdAnswer p = f.initNow("app");
        f.clock.sleep(50);
        assertError(TxnError.NONE, f.addNow("app", p, P0));
        TransactionMetadata m = f.state("app");
        assertEquals(TransactionState.ONGOING, m.state());
        assertEquals(Set.of(P0), m.partitions());
        assertEquals(f.clock.milliseconds(), m.txnStartTimestamp());
        f.clock.sleep(50);
        f.addNow("app", p, P1);
        assertEquals(Set.of(P0, P1), f.state("app").partitions());
        assertEquals(m.txnStartTimestamp(), f.state("app").txnStartTimestamp(), "later partitions keep the start");
    }

    @Test
    void partitionsAlreadyInTheTransactionAreAcknowledgedWithoutAWrite() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0, P1);
        int records = f.log.durable.size();
        assertError(
                TxnError.NONE,
                f.add("app", p.producerId(), p.producerEpoch(), P1).get());
        assertEquals(records, f.log.durable.size());
    }

    @Test
    void unknownTransactionalIdIsAnInvalidProducerIdMapping() {
        TxnAnswer a = f.add("nobody", 5L, (short) 0, P0).get();
        assertError(TxnError.INVALID_PRODUCER_ID_MAPPING, a);
        assertTrue(a.message().contains("nobody") && a.message().contains("initTransactions"), a.message());
        assertError(
                TxnError.INVALID_PRODUCER_ID_MAPPING,
                f.end("nobody", 5L, (short) 0, TransactionResult.COMMIT).get());
    }

    @Test
    void callsWithoutATransactionalIdAreAnInvalidProducerIdMapping() {
        assertError(
                TxnError.INVALID_PRODUCER_ID_MAPPING,
                f.add(null, 5L, (short) 0, P0).get());
        assertError(
                TxnError.INVALID_PRODUCER_ID_MAPPING,
                f.end(null, 5L, (short) 0, TransactionResult.ABORT).get());
        assertError(TxnError.INVALID_PRODUCER_ID_MAPPING, f.coordinator.beginOffsetWrite(null, 5L, (short) 0, OFFSETS));
    }

    @Test
    void wrongProducerIdIsAnInvalidProducerIdMappingNamingBoth() {
        InitProducerIdAnswer p = f.initNow("app");
        TxnAnswer a = f.add("app", p.producerId() + 1, p.producerEpoch(), P0).get();
        assertError(TxnError.INVALID_PRODUCER_ID_MAPPING, a);
        assertTrue(
                a.message().contains(String.valueOf(p.producerId()))
                        && a.message().contains(String.valueOf(p.producerId() + 1)),
                a.message());
    }

    @Test
    void staleEpochIsFencedNamingBothEpochs() {
        InitProducerIdAnswer old = f.initNow("app");
        f.initNow("app");
        TxnAnswer a = f.add("app", old.producerId(), old.producerEpoch(), P0).get();
        assertError(TxnError.PRODUCER_FENCED, a);
        assertTrue(
                a.message().contains("epoch " + old.producerEpoch())
                        && a.message().contains("epoch " + (old.producerEpoch() + 1)),
                a.message());
        assertError(
                TxnError.PRODUCER_FENCED,
                f.end("app", old.producerId(), old.producerEpoch(), TransactionResult.ABORT)
                        .get());
    }

    @Test
    void emptyPartitionSetIsAnInvalidRequest() {
        InitProducerIdAnswer p = f.initNow("app");
        assertError(
                TxnError.INVALID_REQUEST,
                f.add("app", p.producerId(), p.producerEpoch()).get());
    }

    @Test
    void commitWritesPrepareCommitAnswersThenMarkersThenCompleteCommit() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0, P1);
        CoordinatorFixture.Answer<TxnAnswer> a =
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        assertFalse(a.answered());
        assertEquals(
                TransactionState.PREPARE_COMMIT, f.log.completeNext().value().state());
        assertError(TxnError.NONE, a.get());
        assertTrue(f.log.inFlight.isEmpty(), "Complete waits for the markers");
        TransactionMarkers.Request markers = f.markers.completeNext();
        assertEquals(
                new TransactionMarkers.Request(
                        "app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT, Set.of(P0, P1)),
                markers);
        TransactionMetadata done = f.log.completeNext().value();
        assertEquals(TransactionState.COMPLETE_COMMIT, done.state());
        assertEquals(Set.of(), done.partitions());
        assertEquals(done, f.state("app"));
    }

    @Test
    void abortWritesAbortMarkers() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        assertError(TxnError.NONE, f.endNow("app", p, TransactionResult.ABORT));
        assertEquals(TransactionResult.ABORT, f.markers.written.get(0).result());
        assertEquals(TransactionState.COMPLETE_ABORT, f.state("app").state());
    }

    @Test
    void endTxnWithNothingOpenIsAnInvalidTxnState() {
        InitProducerIdAnswer p = f.initNow("app");
        TxnAnswer a = f.endNow("app", p, TransactionResult.COMMIT);
        assertError(TxnError.INVALID_TXN_STATE, a);
        assertTrue(a.message().contains("no transaction is open"), a.message());
    }

    @Test
    void retriedEndTxnOfTheTransactionJustEndedSucceedsButTheOtherOutcomeDoesNot() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.endNow("app", p, TransactionResult.COMMIT);
        int records = f.log.durable.size();
        assertError(TxnError.NONE, f.endNow("app", p, TransactionResult.COMMIT));
        assertEquals(records, f.log.durable.size(), "a retry changes nothing");
        assertError(TxnError.INVALID_TXN_STATE, f.endNow("app", p, TransactionResult.ABORT));
    }

    @Test
    void endTxnWhileTheSameOutcomeCompletesIsConcurrentAndTheOtherIsInvalid() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.ABORT);
        f.log.completeNext();
        assertError(
                TxnError.CONCURRENT_TRANSACTIONS,
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.ABORT)
                        .get());
        assertError(
                TxnError.INVALID_TXN_STATE,
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT)
                        .get());
    }

    /**
     * The producer's transaction holding P0 is committed and PrepareCommit is durable (EndTxn answered, markers being
     * written); then its next transaction's AddPartitionsToTxn of {@code next} arrives. Returns that add's answer.
     */
    private CoordinatorFixture.Answer<TxnAnswer> nextAddWhileCommitting(InitProducerIdAnswer p, TopicPartition next) {
        f.addNow("app", p, P0);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        f.log.completeNext();
        return f.add("app", p.producerId(), p.producerEpoch(), next);
    }

    @Test
    void theProducersNextAddWaitsForTheEndedTransactionToCompleteInsteadOfAnsweringConcurrent() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> next = nextAddWhileCommitting(p, P1);
        assertFalse(next.answered(), "the add waits behind the completion");
        assertEquals(TransactionState.PREPARE_COMMIT, f.state("app").state());
        f.settle(); // markers, CompleteCommit, then the add's own Ongoing
        assertError(TxnError.NONE, next.get());
        assertEquals(TransactionState.ONGOING, f.state("app").state());
        assertEquals(Set.of(P1), f.state("app").partitions(), "the new transaction holds only its own partition");
        List<TransactionState> written =
                f.log.durable.stream().map(r -> r.value().state()).toList();
        assertEquals(
                List.of(TransactionState.COMPLETE_COMMIT, TransactionState.ONGOING),
                written.subList(written.size() - 2, written.size()),
                "the new transaction is written after the old one completed");
    }

    @Test
    void aWaitingAddIsWrittenInTheCompletionsLogBatchAndAnsweredOnceThatIsDurable() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> next = nextAddWhileCommitting(p, P1);
        f.markers.completeNext();
        assertEquals(1, f.log.inFlight.size(), "one write for the completion and the next transaction");
        assertEquals(
                List.of(TransactionState.COMPLETE_COMMIT, TransactionState.ONGOING),
                f.log.inFlight.peek().records().stream()
                        .map(r -> r.value().state())
                        .toList());
        assertEquals(Set.of(P1), f.log.inFlight.peek().records().get(1).value().partitions());
        assertFalse(next.answered(), "answered only once the batch is durable");
        assertTrue(f.coordinator.hasPendingTransition("app"));
        f.log.completeNext();
        assertError(TxnError.NONE, next.get());
        assertEquals(TransactionState.ONGOING, f.state("app").state());
        assertEquals(Set.of(P1), f.state("app").partitions());
        assertTrue(f.log.inFlight.isEmpty(), "nothing more to write");
    }

    @Test
    void whenTheCompletionsBatchFailsTheWaitingAddIsAnsweredConcurrentAndTheCompletionIsRetriedAlone() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> next = nextAddWhileCommitting(p, P1);
        f.markers.completeNext();
        f.log.failNext();
        assertError(TxnError.CONCURRENT_TRANSACTIONS, next.get());
        assertEquals(TransactionState.PREPARE_COMMIT, f.state("app").state(), "neither record took effect");
        f.clock.sleep(CoordinatorFixture.RETRY_BACKOFF_MS);
        f.coordinator.poll();
        assertEquals(
                List.of(TransactionState.COMPLETE_COMMIT),
                f.log.inFlight.peek().records().stream()
                        .map(r -> r.value().state())
                        .toList());
        f.log.completeNext();
        assertError(TxnError.NONE, f.addNow("app", p, P1));
    }

    @Test
    void anOffsetCommitWhileTheCompletionsBatchIsWrittenIsToldToRetry() {
        InitProducerIdAnswer p = f.initNow("app");
        nextAddWhileCommitting(p, P1);
        f.markers.completeNext(); // CompleteCommit + Ongoing [P1] now being written
        TxnAnswer answer = f.coordinator.beginOffsetWrite(
                "app", p.producerId(), p.producerEpoch(), new TopicPartition("__consumer_offsets", 0));
        assertError(TxnError.CONCURRENT_TRANSACTIONS, answer);
    }

    @Test
    void anAddArrivingWhileTheCompletionsBatchIsWrittenIsDecidedAfterIt() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> first = nextAddWhileCommitting(p, P1);
        f.markers.completeNext();
        CoordinatorFixture.Answer<TxnAnswer> second = f.add("app", p.producerId(), p.producerEpoch(), P0);
        assertFalse(second.answered(), "still waits: the completion is not durable yet");
        f.log.completeNext(); // CompleteCommit + Ongoing [P1]; the second add then writes Ongoing [P0, P1]
        assertError(TxnError.NONE, first.get());
        assertFalse(second.answered());
        f.log.completeNext();
        assertError(TxnError.NONE, second.get());
        assertEquals(Set.of(P0, P1), f.state("app").partitions());
    }

    @Test
    void afterAnAbortTheNextTransactionStartsOnlyOnceTheAbortMarkersAreWritten() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.ABORT);
        f.log.completeNext();
        CoordinatorFixture.Answer<TxnAnswer> next = f.add("app", p.producerId(), p.producerEpoch(), P0, P1);
        assertFalse(next.answered());
        TransactionMarkers.Request markers = f.markers.completeNext();
        assertEquals(TransactionResult.ABORT, markers.result());
        assertEquals(Set.of(P0), markers.partitions(), "the abort covers only the aborted transaction's partitions");
        assertFalse(next.answered(), "still waiting for CompleteAbort");
        f.settle();
        assertError(TxnError.NONE, next.get());
        assertEquals(TransactionState.ONGOING, f.state("app").state());
        assertEquals(Set.of(P0, P1), f.state("app").partitions());
    }

    @Test
    void aWaitingAddIsAnsweredConcurrentWhenTheMarkersFailAndNotAvailableWhenTheCoordinatorCloses() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> first = nextAddWhileCommitting(p, P1);
        f.markers.failNext();
        assertError(TxnError.CONCURRENT_TRANSACTIONS, first.get());
        assertError(
                TxnError.CONCURRENT_TRANSACTIONS,
                f.add("app", p.producerId(), p.producerEpoch(), P1).get());
        f.clock.sleep(CoordinatorFixture.RETRY_BACKOFF_MS);
        f.coordinator.poll(); // writes the markers again
        CoordinatorFixture.Answer<TxnAnswer> second = f.add("app", p.producerId(), p.producerEpoch(), P1);
        assertFalse(second.answered());
        f.coordinator.close();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, second.get());
    }

    @Test
    void anAddOfAnotherEpochIsNotHeldBackByTheCompletion() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.ABORT);
        f.log.completeNext();
        assertError(
                TxnError.PRODUCER_FENCED,
                f.add("app", p.producerId(), (short) (p.producerEpoch() - 1), P1)
                        .get());
    }

    @Test
    void callsWhileATransitionIsWrittenAnswerConcurrentTransactions() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> adding = f.add("app", p.producerId(), p.producerEpoch(), P0);
        assertTrue(f.coordinator.hasPendingTransition("app"));
        assertError(
                TxnError.CONCURRENT_TRANSACTIONS,
                f.add("app", p.producerId(), p.producerEpoch(), P1).get());
        assertError(
                TxnError.CONCURRENT_TRANSACTIONS,
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT)
                        .get());
        assertError(TxnError.CONCURRENT_TRANSACTIONS, f.initAtOnce("app"));
        f.settle();
        assertError(TxnError.NONE, adding.get());
        assertEquals(
                1,
                f.log.durable.stream()
                        .filter(r -> r.value().state() == TransactionState.ONGOING)
                        .count());
    }

    @Test
    void failedAddPartitionsLeavesTheTransactionAsItWas() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        CoordinatorFixture.Answer<TxnAnswer> a = f.add("app", p.producerId(), p.producerEpoch(), P1);
        f.log.failNext();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, a.get());
        assertEquals(Set.of(P0), f.state("app").partitions());
    }

    @Test
    void failedPrepareCommitLeavesTheTransactionOngoingAndWritesNoMarker() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        CoordinatorFixture.Answer<TxnAnswer> a =
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        f.log.failNext();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, a.get());
        assertEquals(TransactionState.ONGOING, f.state("app").state());
        assertTrue(f.markers.inFlight.isEmpty());
        assertError(TxnError.NONE, f.endNow("app", p, TransactionResult.COMMIT));
    }

    @Test
    void offsetWriteNeedsTheOffsetsPartitionInTheTransaction() {
        InitProducerIdAnswer p = f.initNow("app");
        TxnAnswer none = f.coordinator.beginOffsetWrite("app", p.producerId(), p.producerEpoch(), OFFSETS);
        assertError(TxnError.INVALID_TXN_STATE, none);
        f.addNow("app", p, P0);
        TxnAnswer notAdded = f.coordinator.beginOffsetWrite("app", p.producerId(), p.producerEpoch(), OFFSETS);
        assertError(TxnError.INVALID_TXN_STATE, notAdded);
        assertTrue(
                notAdded.message().contains("AddOffsetsToTxn")
                        && notAdded.message().contains(OFFSETS.toString()),
                notAdded.message());
        f.addNow("app", p, OFFSETS);
        assertError(TxnError.NONE, f.coordinator.beginOffsetWrite("app", p.producerId(), p.producerEpoch(), OFFSETS));
    }

    @Test
    void offsetWriteFromAFencedEpochIsRefused() {
        InitProducerIdAnswer old = f.initNow("app");
        f.addNow("app", old, OFFSETS);
        f.initNow("app");
        f.settle();
        assertError(
                TxnError.PRODUCER_FENCED,
                f.coordinator.beginOffsetWrite("app", old.producerId(), old.producerEpoch(), OFFSETS));
    }

    @Test
    void transactionCannotEndWhileItsOffsetsAreBeingAppended() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, OFFSETS);
        assertError(TxnError.NONE, f.coordinator.beginOffsetWrite("app", p.producerId(), p.producerEpoch(), OFFSETS));
        assertError(
                TxnError.CONCURRENT_TRANSACTIONS,
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT)
                        .get());
        f.coordinator.endOffsetWrite("app");
        assertError(TxnError.NONE, f.endNow("app", p, TransactionResult.COMMIT));
        assertEquals(List.of(OFFSETS), List.copyOf(f.markers.written.get(0).partitions()));
    }

    @Test
    void offsetWriteWaitsWhileTheTransactionEnds() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, OFFSETS);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        assertError(
                TxnError.CONCURRENT_TRANSACTIONS,
                f.coordinator.beginOffsetWrite("app", p.producerId(), p.producerEpoch(), OFFSETS));
    }
}
