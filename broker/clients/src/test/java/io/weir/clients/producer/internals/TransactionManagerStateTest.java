package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TransactionManagerStateTest {

    @Test
    void fatalErrorIsNeverLeftAndAbortableErrorOnlyByAborting() {
        for (TransactionManagerState next : TransactionManagerState.values()) {
            assertFalse(TransactionManagerState.FATAL_ERROR.canTransitionTo(next), "FATAL_ERROR -> " + next);
            assertEquals(
                    next == TransactionManagerState.ABORTING_TRANSACTION || next == TransactionManagerState.FATAL_ERROR,
                    TransactionManagerState.ABORTABLE_ERROR.canTransitionTo(next),
                    "ABORTABLE_ERROR -> " + next);
        }
    }

    @Test
    void aTransactionOpensOnlyFromReadyAndEndsOnlyThroughCommitOrAbort() {
        for (TransactionManagerState from : TransactionManagerState.values()) {
            assertEquals(
                    from == TransactionManagerState.READY,
                    from.canTransitionTo(TransactionManagerState.IN_TRANSACTION),
                    from + " -> IN_TRANSACTION");
        }
        EnumSet<TransactionManagerState> intoReady = EnumSet.noneOf(TransactionManagerState.class);
        for (TransactionManagerState from : TransactionManagerState.values()) {
            if (from.canTransitionTo(TransactionManagerState.READY)) {
                intoReady.add(from);
            }
        }
        assertEquals(
                EnumSet.of(
                        TransactionManagerState.INITIALIZING,
                        TransactionManagerState.COMMITTING_TRANSACTION,
                        TransactionManagerState.ABORTING_TRANSACTION),
                intoReady);
    }

    @Test
    void anIllegalTransitionNamesBothStates() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> TransactionManagerState.READY.checkTransition(TransactionManagerState.COMMITTING_TRANSACTION));
        assertTrue(
                e.getMessage().contains("READY") && e.getMessage().contains("COMMITTING_TRANSACTION"), e.getMessage());
        assertEquals(
                TransactionManagerState.IN_TRANSACTION,
                TransactionManagerState.READY.checkTransition(TransactionManagerState.IN_TRANSACTION));
    }
}
