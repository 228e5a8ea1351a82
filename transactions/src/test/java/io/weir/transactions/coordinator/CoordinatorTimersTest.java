package io.weir.transactions.coordinator;

import static io.weir.transactions.coordinator.CoordinatorFixture.ABORT_INTERVAL_MS;
import static io.weir.transactions.coordinator.CoordinatorFixture.EXPIRATION_MS;
import static io.weir.transactions.coordinator.CoordinatorFixture.OFFSETS;
import static io.weir.transactions.coordinator.CoordinatorFixture.P0;
import static io.weir.transactions.coordinator.CoordinatorFixture.RETRY_BACKOFF_MS;
import static io.weir.transactions.coordinator.CoordinatorFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.transactions.TransactionResult;
import org.junit.jupiter.api.Test;

/** Timeouts, id expiry and the retries of markers and completions, all on the manual clock. */
class CoordinatorTimersTest {
    private static final int TIMEOUT_MS = 5_000;
    private final CoordinatorFixture f = new CoordinatorFixture();

    private InitProducerIdAnswer openTransaction() {
        InitProducerIdAnswer p = f.initNow("app", TIMEOUT_MS, -1L, (short) -1);
        f.addNow("app", p, P0);
        return p;
    }

    @Test
    void transactionPastItsTimeoutIsAbortedAtABumpedEpoch() {
        InitProducerIdAnswer p = openTransaction();
        f.clock.sleep(TIMEOUT_MS + 1);
        f.coordinator.poll();
        f.settle();
        TransactionMetadata m = f.state("app");
        assertEquals(TransactionState.COMPLETE_ABORT, m.state());
        assertEquals(p.producerEpoch() + 1, m.producerEpoch());
        assertEquals(p.producerEpoch(), m.lastProducerEpoch());
        TransactionMarkers.Request marker = f.markers.written.get(0);
        assertEquals(TransactionResult.ABORT, marker.result());
        assertEquals(
                p.producerEpoch() + 1, marker.producerEpoch(), "the marker fences the producer at every partition");
    }

    @Test
    void transactionExactlyAtItsTimeoutIsLeftAlone() {
        openTransaction();
        f.clock.sleep(TIMEOUT_MS);
        f.coordinator.poll();
        assertEquals(TransactionState.ONGOING, f.state("app").state());
        assertTrue(f.log.inFlight.isEmpty());
    }

    @Test
    void timeoutsAreLookedForOncePerInterval() {
        InitProducerIdAnswer p = f.initNow("app", 100, -1L, (short) -1);
        f.addNow("app", p, P0);
        // The first scan is due one interval after load, long after this 100 ms timeout ran out.
        f.clock.sleep(ABORT_INTERVAL_MS - 1);
        f.coordinator.poll();
        assertEquals(TransactionState.ONGOING, f.state("app").state(), "timed out, but the scan is not due yet");
        f.clock.sleep(1);
        f.coordinator.poll();
        f.settle();
        assertEquals(TransactionState.COMPLETE_ABORT, f.state("app").state());
    }

    @Test
    void timedOutProducerLearnsItOnItsNextCallAndRecoversWithKip360() {
        InitProducerIdAnswer p = openTransaction();
        f.clock.sleep(TIMEOUT_MS + 1);
        f.coordinator.poll();
        f.settle();
        TxnAnswer next = f.addNow("app", p, P0);
        assertError(TxnError.INVALID_PRODUCER_EPOCH, next);
        assertTrue(next.message().contains("InitProducerId"), next.message());
        assertError(TxnError.INVALID_PRODUCER_EPOCH, f.endNow("app", p, TransactionResult.COMMIT));
        assertError(TxnError.INVALID_PRODUCER_EPOCH, f.endNow("app", p, TransactionResult.ABORT));
        InitProducerIdAnswer bumped = f.initNow("app", TIMEOUT_MS, p.producerId(), p.producerEpoch());
        assertEquals(p.producerId(), bumped.producerId());
        assertEquals(p.producerEpoch() + 1, bumped.producerEpoch());
        assertError(TxnError.NONE, f.addNow("app", bumped, P0));
    }

    @Test
    void newInstanceAfterATimeoutFencesTheTimedOutOne() {
        InitProducerIdAnswer p = openTransaction();
        f.clock.sleep(TIMEOUT_MS + 1);
        f.coordinator.poll();
        f.settle();
        f.initNow("app");
        assertError(TxnError.PRODUCER_FENCED, f.addNow("app", p, P0));
        assertError(TxnError.PRODUCER_FENCED, f.initNow("app", TIMEOUT_MS, p.producerId(), p.producerEpoch()));
    }

    @Test
    void timeoutWaitsForOffsetsBeingAppended() {
        InitProducerIdAnswer p = f.initNow("app", TIMEOUT_MS, -1L, (short) -1);
        f.addNow("app", p, OFFSETS);
        f.coordinator.beginOffsetWrite("app", p.producerId(), p.producerEpoch(), OFFSETS);
        f.clock.sleep(TIMEOUT_MS + ABORT_INTERVAL_MS);
        f.coordinator.poll();
        assertEquals(TransactionState.ONGOING, f.state("app").state());
        f.coordinator.endOffsetWrite("app");
        f.clock.sleep(ABORT_INTERVAL_MS);
        f.coordinator.poll();
        f.settle();
        assertEquals(TransactionState.COMPLETE_ABORT, f.state("app").state());
    }

    @Test
    void idleIdExpiresWithATombstone() {
        f.initNow("app");
        f.clock.sleep(EXPIRATION_MS);
        f.coordinator.poll();
        f.settle();
        assertTrue(f.coordinator.describe("app").isEmpty());
        TransactionLog.Record last = f.log.durable.get(f.log.durable.size() - 1);
        assertEquals("app", last.transactionalId());
        assertNull(last.value(), "a tombstone");
        assertError(
                TxnError.INVALID_PRODUCER_ID_MAPPING,
                f.add("app", 1000L, (short) 0, P0).get());
    }

    @Test
    void idWithAnOpenTransactionNeverExpires() {
        // Ids expire after 1 s here, long before the transaction's 60 s timeout.
        CoordinatorFixture g =
                new CoordinatorFixture(new TransactionCoordinatorConfig(60_000, 1_000L, 1_000L, 1_000L, 0L));
        InitProducerIdAnswer p = g.initNow("app", 60_000, -1L, (short) -1);
        g.addNow("app", p, P0);
        g.clock.sleep(5_000);
        g.coordinator.poll();
        assertEquals(TransactionState.ONGOING, g.state("app").state());
        assertTrue(g.log.inFlight.isEmpty());
        g.endNow("app", p, TransactionResult.COMMIT);
        g.clock.sleep(1_000);
        g.coordinator.poll();
        g.settle();
        assertTrue(g.coordinator.describe("app").isEmpty(), "once idle, it expires");
    }

    @Test
    void failedMarkersAreWrittenAgainAfterTheBackoff() {
        InitProducerIdAnswer p = openTransaction();
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.COMMIT);
        f.log.completeNext();
        f.markers.failNext();
        f.coordinator.poll();
        assertTrue(f.markers.inFlight.isEmpty(), "not before the backoff");
        f.clock.sleep(RETRY_BACKOFF_MS);
        f.coordinator.poll();
        f.settle();
        assertEquals(TransactionState.COMPLETE_COMMIT, f.state("app").state());
        assertEquals(1, f.markers.written.size());
    }

    @Test
    void failedCompletionIsWrittenAgainWithoutRewritingTheMarkers() {
        InitProducerIdAnswer p = openTransaction();
        f.end("app", p.producerId(), p.producerEpoch(), TransactionResult.ABORT);
        f.log.completeNext();
        f.markers.completeNext();
        f.log.failNext();
        assertEquals(TransactionState.PREPARE_ABORT, f.state("app").state());
        f.clock.sleep(RETRY_BACKOFF_MS);
        f.coordinator.poll();
        assertTrue(f.markers.inFlight.isEmpty());
        f.settle();
        assertEquals(TransactionState.COMPLETE_ABORT, f.state("app").state());
        assertEquals(1, f.markers.written.size());
    }
}
