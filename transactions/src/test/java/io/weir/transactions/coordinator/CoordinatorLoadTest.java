package io.weir.transactions.coordinator;

import static io.weir.transactions.coordinator.CoordinatorFixture.P0;
import static io.weir.transactions.coordinator.CoordinatorFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reloading from the transaction log, and the lifecycle around it. */
class CoordinatorLoadTest {
    private final CoordinatorFixture f = new CoordinatorFixture();

    @Test
    void reloadFindsTheLatestStateOfEachId() {
        InitProducerIdAnswer a = f.initNow("a");
        f.addNow("a", a, P0);
        f.initNow("b");
        TransactionMetadata before = f.state("a");
        f.reload();
        assertEquals(before, f.state("a"));
        assertEquals(
                List.of("a", "b"),
                f.coordinator.list().stream()
                        .map(TransactionMetadata::transactionalId)
                        .toList());
    }

    @Test
    void transactionFoundInPrepareCommitIsFinished() {
        InitProducerIdAnswer p = f.initNow("app");
        f.addNow("app", p, P0);
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        f.log.completeNext(); // PrepareCommit durable, then the "crash" before any marker
        f.reload();
        assertEquals(TransactionState.PREPARE_COMMIT, f.state("app").state());
        TransactionMarkers.Request marker = f.markers.completeNext();
        assertEquals(TransactionResult.COMMIT, marker.result());
        assertEquals(Set.of(P0), marker.partitions());
        f.settle();
        assertEquals(TransactionState.COMPLETE_COMMIT, f.state("app").state());
        assertError(TxnError.NONE, f.endNow("app", p, TransactionResult.COMMIT));
    }

    @Test
    void ongoingTransactionKeepsItsStartAndTimesOutAfterReload() {
        InitProducerIdAnswer p = f.initNow("app", 5_000, -1L, (short) -1);
        f.addNow("app", p, P0);
        long start = f.state("app").txnStartTimestamp();
        f.reload();
        assertEquals(start, f.state("app").txnStartTimestamp());
        f.clock.sleep(5_001 + CoordinatorFixture.ABORT_INTERVAL_MS);
        f.coordinator.poll();
        f.settle();
        assertEquals(TransactionState.COMPLETE_ABORT, f.state("app").state());
    }

    @Test
    void reloadForgetsTheLastEpochAsKafkasLogDoes() {
        InitProducerIdAnswer p = f.initNow("app");
        InitProducerIdAnswer bumped = f.initNow("app", 10_000, p.producerId(), p.producerEpoch());
        assertEquals(p.producerEpoch(), f.state("app").lastProducerEpoch());
        f.reload();
        assertEquals(-1, f.state("app").lastProducerEpoch());
        assertEquals(bumped.producerEpoch(), f.state("app").producerEpoch());
        assertError(TxnError.PRODUCER_FENCED, f.initNow("app", 10_000, p.producerId(), p.producerEpoch()));
    }

    @Test
    void tombstoneInTheLogForgetsTheId() {
        f.initNow("app");
        f.log.durable.add(new TransactionLog.Record("app", null));
        f.reload();
        assertTrue(f.coordinator.describe("app").isEmpty());
    }

    @Test
    void writeThatLandedUnansweredBeforeACrashIsInEffectAfterReload() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> a = f.add("app", p.producerId(), p.producerEpoch(), P0);
        f.log.landNextUnanswered();
        f.reload();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, a.get());
        assertEquals(TransactionState.ONGOING, f.state("app").state());
    }

    @Test
    void callsBeforeLoadAnswerLoadInProgress() {
        TransactionCoordinator fresh = f.newCoordinator();
        CoordinatorFixture.Answer<InitProducerIdAnswer> a = new CoordinatorFixture.Answer<>();
        fresh.initProducerId("app", 1000, -1L, (short) -1, a);
        assertError(TxnError.COORDINATOR_LOAD_IN_PROGRESS, a.get());
        assertError(TxnError.COORDINATOR_LOAD_IN_PROGRESS, fresh.beginOffsetWrite("app", 1L, (short) 0, P0));
    }

    @Test
    void closeAnswersCallsWaitingForTheLogAndLaterCallsAreRefused() {
        InitProducerIdAnswer p = f.initNow("app");
        CoordinatorFixture.Answer<TxnAnswer> waiting = f.add("app", p.producerId(), p.producerEpoch(), P0);
        f.coordinator.close();
        f.coordinator.close();
        assertError(TxnError.COORDINATOR_NOT_AVAILABLE, waiting.get());
        f.log.completeNext(); // lands after close: ignored, and not answered twice
        assertEquals(1, waiting.answers.size());
        assertError(
                TxnError.COORDINATOR_NOT_AVAILABLE,
                f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.ABORT)
                        .get());
    }

    @Test
    void loadTwiceIsRefused() {
        assertThrows(IllegalStateException.class, () -> f.coordinator.load(List.of()));
    }

    @Test
    void recordWhoseValueNamesAnotherIdIsRefused() {
        TransactionCoordinator fresh = f.newCoordinator();
        TransactionMetadata other = new TransactionMetadata(
                "b", 1L, -1L, (short) 0, (short) -1, 1000, TransactionState.EMPTY, Set.of(), -1L, 0L);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> fresh.load(List.of(new TransactionLog.Record("a", other))));
        assertTrue(e.getMessage().contains("a") && e.getMessage().contains("b"), e.getMessage());
    }
}
