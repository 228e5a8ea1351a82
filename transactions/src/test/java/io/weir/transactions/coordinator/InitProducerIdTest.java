package io.weir.transactions.coordinator;

import static io.weir.transactions.coordinator.CoordinatorFixture.P0;
import static io.weir.transactions.coordinator.CoordinatorFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InitProducerIdTest {
    private final CoordinatorFixture f = new CoordinatorFixture();

    @Test
    void newIdGetsAFreshProducerIdAtEpochZeroOnceDurable() {
        long expected = f.peekProducerId();
        CoordinatorFixture.Answer<InitProducerIdAnswer> a = f.init("app", 10_000, -1L, (short) -1);
        assertFalse(a.answered(), "not answered before the log has it");
        assertTrue(f.coordinator.describe("app").isEmpty(), "not in effect before the log has it");
        f.log.completeNext();
        assertEquals(new InitProducerIdAnswer(TxnError.NONE, null, expected, (short) 0), a.get());
        TransactionMetadata m = f.state("app");
        assertEquals(TransactionState.EMPTY, m.state());
        assertEquals(10_000, m.timeoutMs());
        assertEquals(m, f.log.latest("app"));
    }

    @Test
    void newInstanceBumpsTheEpochAndFencesTheOldOne() {
        InitProducerIdAnswer old = f.initNow("app");
        InitProducerIdAnswer fresh = f.initNow("app");
        assertEquals(old.producerId(), fresh.producerId());
        assertEquals(old.producerEpoch() + 1, fresh.producerEpoch());
        assertError(TxnError.PRODUCER_FENCED, f.addNow("app", old, P0));
        assertError(TxnError.NONE, f.addNow("app", fresh, P0));
    }

    @Test
    void newInstanceAbortsTheOpenTransactionAtABumpedEpochAndAsksForARetry() {
        InitProducerIdAnswer old = f.initNow("app");
        f.addNow("app", old, P0);
        CoordinatorFixture.Answer<InitProducerIdAnswer> first = f.init("app", 10_000, -1L, (short) -1);
        f.log.completeNext(); // PrepareAbort at the fenced epoch
        assertError(TxnError.CONCURRENT_TRANSACTIONS, first.get());
        assertEquals(TransactionState.PREPARE_ABORT, f.state("app").state());
        assertEquals(old.producerEpoch() + 1, f.state("app").producerEpoch());
        assertError(TxnError.CONCURRENT_TRANSACTIONS, f.initAtOnce("app"));
        f.settle();
        TransactionMarkers.Request marker = f.markers.written.get(0);
        assertEquals(TransactionResult.ABORT, marker.result());
        assertEquals(old.producerEpoch() + 1, marker.producerEpoch());
        assertEquals(Set.of(P0), marker.partitions());
        assertEquals(TransactionState.COMPLETE_ABORT, f.state("app").state());
        InitProducerIdAnswer retried = f.initNow("app");
        assertEquals(old.producerEpoch() + 2, retried.producerEpoch());
        assertError(TxnError.PRODUCER_FENCED, f.endNow("app", old, TransactionResult.ABORT));
    }

    @Test
    void initWhileAPreparedTransactionCompletesAnswersConcurrentTransactions() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        f.log.completeNext(); // PrepareCommit; markers in flight
        assertError(TxnError.CONCURRENT_TRANSACTIONS, f.initAtOnce("app"));
        f.settle();
        assertEquals(TransactionState.COMPLETE_COMMIT, f.state("app").state());
        assertEquals(p.producerEpoch() + 1, f.initNow("app").producerEpoch());
    }

    @Test
    void timeoutAboveTheMaximumIsRefusedNamingBoth() {
        InitProducerIdAnswer a = f.initNow("app", CoordinatorFixture.MAX_TIMEOUT_MS + 1, -1L, (short) -1);
        assertError(TxnError.INVALID_TRANSACTION_TIMEOUT, a);
        assertTrue(
                a.message().contains(String.valueOf(CoordinatorFixture.MAX_TIMEOUT_MS + 1))
                        && a.message().contains(String.valueOf(CoordinatorFixture.MAX_TIMEOUT_MS)),
                a.message());
        assertTrue(f.log.durable.isEmpty());
    }

    @Test
    void nonPositiveTimeoutIsRefused() {
        assertError(TxnError.INVALID_TRANSACTION_TIMEOUT, f.initNow("app", 0, -1L, (short) -1));
    }

    @Test
    void emptyTransactionalIdIsAnInvalidRequest() {
        assertError(TxnError.INVALID_REQUEST, f.initNow("", 10_000, -1L, (short) -1));
    }

    @Test
    void producerIdWithoutEpochIsAnInvalidRequest() {
        assertError(TxnError.INVALID_REQUEST, f.initNow("app", 10_000, 5L, (short) -1));
    }

    @Test
    void kip360BumpKeepsTheProducerIdAndItsRetryGetsTheSameGrant() {
        InitProducerIdAnswer p = f.initNow("app");
        InitProducerIdAnswer bumped = f.initNow("app", 10_000, p.producerId(), p.producerEpoch());
        assertEquals(p.producerId(), bumped.producerId());
        assertEquals(p.producerEpoch() + 1, bumped.producerEpoch());
        InitProducerIdAnswer retried = f.initNow("app", 10_000, p.producerId(), p.producerEpoch());
        assertEquals(bumped, retried, "a lost answer's retry is granted the same epoch, not fenced");
    }

    @Test
    void kip360BumpWithAStaleEpochIsFenced() {
        InitProducerIdAnswer p = f.initNow("app");
        f.initNow("app");
        f.initNow("app");
        InitProducerIdAnswer stale = f.initNow("app", 10_000, p.producerId(), p.producerEpoch());
        assertError(TxnError.PRODUCER_FENCED, stale);
        assertTrue(stale.message().contains("app"), stale.message());
    }

    @Test
    void kip360BumpWithAnotherProducerIdIsFenced() {
        InitProducerIdAnswer p = f.initNow("app");
        assertError(TxnError.PRODUCER_FENCED, f.initNow("app", 10_000, p.producerId() + 77, p.producerEpoch()));
    }

    @Test
    void kip360BumpOfAnOpenTransactionAbortsItThenGrantsTheFenceEpoch() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        assertError(TxnError.CONCURRENT_TRANSACTIONS, f.initNow("app", 10_000, p.producerId(), p.producerEpoch()));
        InitProducerIdAnswer granted = f.initNow("app", 10_000, p.producerId(), p.producerEpoch());
        assertEquals(p.producerEpoch() + 1, granted.producerEpoch());
        assertEquals(TransactionState.EMPTY, f.state("app").state());
    }

    @Test
    void staleKip360BumpCannotAbortTheLiveProducersTransaction() {
        InitProducerIdAnswer old = f.initNow("app");
        InitProducerIdAnswer live = f.initNow("app");
        f.addNow("app", live, P0);
        assertError(TxnError.PRODUCER_FENCED, f.initNow("app", 10_000, old.producerId(), old.producerEpoch()));
        assertEquals(TransactionState.ONGOING, f.state("app").state());
    }

    @Test
    void exhaustedEpochRotatesToANewProducerIdAndTheRetryFindsIt() {
        short last = (short) (Short.MAX_VALUE - 1);
        f.log.durable.add(new TransactionLog.Record(
                "app",
                new TransactionMetadata(
                        "app",
                        5L,
                        -1L,
                        last,
                        (short) -1,
                        10_000,
                        TransactionState.COMPLETE_COMMIT,
                        Set.of(),
                        100L,
                        100L)));
        f.reload();
        long expected = f.peekProducerId();
        InitProducerIdAnswer rotated = f.initNow("app", 10_000, 5L, last);
        assertEquals(new InitProducerIdAnswer(TxnError.NONE, null, expected, (short) 0), rotated);
        TransactionMetadata m = f.state("app");
        assertEquals(5L, m.lastProducerId());
        assertEquals(last, m.lastProducerEpoch());
        assertEquals(rotated, f.initNow("app", 10_000, 5L, last), "the retry of a rotation gets the same grant");
        assertError(
                TxnError.INVALID_PRODUCER_ID_MAPPING,
                f.addNow("app", new InitProducerIdAnswer(TxnError.NONE, null, 5L, last), P0));
    }

    @Test
    void newInstanceAtAnExhaustedEpochRotatesAndFencesTheOldProducerId() {
        short last = (short) (Short.MAX_VALUE - 1);
        f.log.durable.add(new TransactionLog.Record(
                "app",
                new TransactionMetadata(
                        "app", 5L, -1L, last, (short) -1, 10_000, TransactionState.EMPTY, Set.of(), -1L, 100L)));
        f.reload();
        InitProducerIdAnswer fresh = f.initNow("app");
        assertTrue(fresh.producerId() != 5L);
        assertEquals(0, fresh.producerEpoch());
        assertError(TxnError.PRODUCER_FENCED, f.initNow("app", 10_000, 5L, last));
    }

    @Test
    void failedWriteOfANewIdForgetsItAndAnswersRetriably() {
        CoordinatorFixture.Answer<InitProducerIdAnswer> a = f.init("app", 10_000, -1L, (short) -1);
        f.log.failNext();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, a.get());
        assertTrue(a.get().message().contains("app"), a.get().message());
        assertTrue(f.coordinator.describe("app").isEmpty());
        assertEquals(TxnError.NONE, f.initNow("app").error());
    }

    @Test
    void failedBumpLeavesTheEpochAsItWas() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<InitProducerIdAnswer> a = f.init("app", 10_000, -1L, (short) -1);
        f.log.failNext();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, a.get());
        assertEquals(p.producerEpoch(), f.state("app").producerEpoch());
        assertError(TxnError.NONE, f.addNow("app", p, P0));
    }

    @Test
    void everyWrittenStateFollowsTheTable() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.initNow("app");
        InitProducerIdAnswer q = f.initNow("app");
        f.addNow("app", q, P0);
        f.endNow("app", q, TransactionResult.COMMIT);
        TransactionState previous = null;
        for (TransactionLog.Record r : f.log.durable) {
            TransactionState next = r.value().state();
            if (previous != null) {
                assertTrue(next.canFollow(previous), previous + " -> " + next);
            }
            previous = next;
        }
        assertEquals(
                List.of(
                        TransactionState.EMPTY,
                        TransactionState.ONGOING,
                        TransactionState.PREPARE_ABORT,
                        TransactionState.COMPLETE_ABORT,
                        TransactionState.EMPTY,
                        TransactionState.ONGOING,
                        TransactionState.PREPARE_COMMIT,
                        TransactionState.COMPLETE_COMMIT),
                f.log.durable.stream().map(r -> r.value().state()).toList());
    }
}
