package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TransactionStateTest {

    @Test
    void fatalErrorIsNeverLeftAndAbortableErrorOnlyByAborting() {
        for (TransactionState next : TransactionState.values()) {
            assertFalse(TransactionState.FATAL_ERROR.canTransitionTo(next), "FATAL_ERROR -> " + next);
            assertEquals(next == TransactionState.ABORTING_TRANSACTION || next == TransactionState.FATAL_ERROR,
                    TransactionState.ABORTABLE_ERROR.canTransitionTo(next), "ABORTABLE_ERROR -> " + next);
        }
    }

    @Test
    void aTransactionOpensOnlyFromReadyAndEndsOnlyThroughCommitOrAbort() {
        for (TransactionState from : TransactionState.values()) {
            assertEquals(from == TransactionState.READY, from.canTransitionTo(TransactionState.IN_TRANSACTION), from + " -> IN_TRANSACTION");
        }
        EnumSet<TransactionState> intoReady = EnumSet.noneOf(TransactionState.class);
        for (TransactionState from : TransactionState.values()) {
            if (from.canTransitionTo(TransactionState.READY)) {
                intoReady.add(from);
            }
        }
        assertEquals(EnumSet.of(TransactionState.INITIALIZING, TransactionState.COMMITTING_TRANSACTION,
                TransactionState.ABORTING_TRANSACTION), intoReady);
    }

    @Test
    void anIllegalTransitionNamesBothStates() {
        var e = assertThrows(IllegalStateException.class, () -> TransactionState.READY.checkTransition(TransactionState.COMMITTING_TRANSACTION));
        assertTrue(e.getMessage().contains("READY") && e.getMessage().contains("COMMITTING_TRANSACTION"), e.getMessage());
        assertEquals(TransactionState.IN_TRANSACTION, TransactionState.READY.checkTransition(TransactionState.IN_TRANSACTION));
    }
}
