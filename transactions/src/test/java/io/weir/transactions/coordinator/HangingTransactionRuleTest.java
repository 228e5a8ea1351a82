package io.weir.transactions.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.transactions.coordinator.HangingTransactionRule.CoordinatorView;
import io.weir.transactions.coordinator.HangingTransactionRule.Reason;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HangingTransactionRuleTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final long MAX_TIMEOUT_MS = 900_000;

    private final HangingTransactionRule neverStale = new HangingTransactionRule(MAX_TIMEOUT_MS, -1);

    @Test
    void aTransactionIdleForNoLongerThanTheMaxTimeoutIsNeverHanging() {
        assertFalse(neverStale.isCandidate(MAX_TIMEOUT_MS));
        assertEquals(Optional.empty(), neverStale.classify(P0, 7, MAX_TIMEOUT_MS, Optional.empty()));
    }

    @Test
    void aProducerTheCoordinatorDoesNotKnowIsHanging() {
        assertTrue(neverStale.isCandidate(MAX_TIMEOUT_MS + 1));
        assertEquals(
                Optional.of(Reason.PRODUCER_UNKNOWN_TO_COORDINATOR),
                neverStale.classify(P0, 7, MAX_TIMEOUT_MS + 1, Optional.empty()));
    }

    @Test
    void aTransactionWhoseCoordinatorDoesNotHoldThePartitionIsHanging() {
        Optional<CoordinatorView> holdsOtherPartition = Optional.of(new CoordinatorView(7, Set.of(P1)));
        assertEquals(
                Optional.of(Reason.PARTITION_NOT_IN_TRANSACTION),
                neverStale.classify(P0, 7, MAX_TIMEOUT_MS + 1, holdsOtherPartition));
    }

    @Test
    void aTransactionalIdNowOwnedByAnotherProducerIdLeavesTheOldOneHanging() {
        Optional<CoordinatorView> movedOn = Optional.of(new CoordinatorView(8, Set.of(P0)));
        assertEquals(
                Optional.of(Reason.PARTITION_NOT_IN_TRANSACTION),
                neverStale.classify(P0, 7, MAX_TIMEOUT_MS + 1, movedOn));
    }

    @Test
    void aTransactionTheCoordinatorHoldsIsLeftToItUnlessStale() {
        Optional<CoordinatorView> holds = Optional.of(new CoordinatorView(7, Set.of(P0)));
        assertEquals(Optional.empty(), neverStale.classify(P0, 7, Long.MAX_VALUE / 2, holds));

        HangingTransactionRule staleAfterMinute = new HangingTransactionRule(MAX_TIMEOUT_MS, 60_000);
        assertEquals(Optional.empty(), staleAfterMinute.classify(P0, 7, MAX_TIMEOUT_MS + 60_000, holds));
        assertEquals(Optional.of(Reason.STALE), staleAfterMinute.classify(P0, 7, MAX_TIMEOUT_MS + 60_001, holds));
    }

    @Test
    void refusesNegativeBounds() {
        assertThrows(IllegalArgumentException.class, () -> new HangingTransactionRule(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> new HangingTransactionRule(0, -2));
    }
}
