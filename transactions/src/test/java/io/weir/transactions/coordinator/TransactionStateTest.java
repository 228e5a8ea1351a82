package io.weir.transactions.coordinator;

import static io.weir.transactions.coordinator.TransactionState.COMPLETE_ABORT;
import static io.weir.transactions.coordinator.TransactionState.COMPLETE_COMMIT;
import static io.weir.transactions.coordinator.TransactionState.DEAD;
import static io.weir.transactions.coordinator.TransactionState.EMPTY;
import static io.weir.transactions.coordinator.TransactionState.ONGOING;
import static io.weir.transactions.coordinator.TransactionState.PREPARE_ABORT;
import static io.weir.transactions.coordinator.TransactionState.PREPARE_COMMIT;
import static io.weir.transactions.coordinator.TransactionState.PREPARE_EPOCH_FENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionStateTest {

    @Test
    void tableIsKafkas() {
        Map<TransactionState, Set<TransactionState>> kafka = Map.of(
                EMPTY, EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
                ONGOING, EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
                PREPARE_COMMIT, EnumSet.of(ONGOING),
                PREPARE_ABORT, EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE),
                COMPLETE_COMMIT, EnumSet.of(PREPARE_COMMIT),
                COMPLETE_ABORT, EnumSet.of(PREPARE_ABORT),
                DEAD, EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
                PREPARE_EPOCH_FENCE, EnumSet.of(ONGOING));
        for (TransactionState s : TransactionState.values()) {
            assertEquals(kafka.get(s), s.validPreviousStates(), s.displayName());
        }
    }

    @Test
    void idsAndNamesAreKafkas() {
        List<String> names = List.of(
                "Empty",
                "Ongoing",
                "PrepareCommit",
                "PrepareAbort",
                "CompleteCommit",
                "CompleteAbort",
                "Dead",
                "PrepareEpochFence");
        for (int id = 0; id < names.size(); id++) {
            TransactionState s = TransactionState.fromId((byte) id);
            assertEquals(names.get(id), s.displayName());
            assertEquals(Optional.of(s), TransactionState.fromDisplayName(names.get(id)));
        }
        assertEquals(Optional.empty(), TransactionState.fromDisplayName("ongoing"));
    }

    @Test
    void illegalTransitionNamesTheIdAndBothStates() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> TransactionState.checkTransition("app-1", EMPTY, PREPARE_COMMIT));
        assertTrue(
                e.getMessage().contains("app-1")
                        && e.getMessage().contains("Empty")
                        && e.getMessage().contains("PrepareCommit"),
                e.getMessage());
    }

    @Test
    void unknownStatusByteIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TransactionState.fromId((byte) 9));
        assertTrue(e.getMessage().contains("9"), e.getMessage());
    }

    @Test
    void metadataRefusesAnOpenTransactionWithoutPartitions() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TransactionMetadata(
                        "app-1", 5L, -1L, (short) 0, (short) -1, 1000, ONGOING, Set.of(), 100L, 100L));
        assertTrue(e.getMessage().contains("app-1") && e.getMessage().contains("Ongoing"), e.getMessage());
    }

    @Test
    void metadataNeverHoldsPrepareEpochFence() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TransactionMetadata(
                        "app-1",
                        5L,
                        -1L,
                        (short) 0,
                        (short) -1,
                        1000,
                        PREPARE_EPOCH_FENCE,
                        Set.of(CoordinatorFixture.P0),
                        100L,
                        100L));
    }
}
