package io.weir.clients.producer.internals;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The client-side lifecycle of an idempotent or transactional producer, as Kafka's {@code TransactionManager.State}.
 * An idempotent producer only goes {@code UNINITIALIZED → INITIALIZING → READY} (and back through
 * {@code INITIALIZING} when its epoch is exhausted); the transaction states are reached only with a
 * {@code transactional.id}.
 *
 * <p>{@link #canTransitionTo} is the whole table. {@code ABORTABLE_ERROR} can only be left by aborting;
 * {@code FATAL_ERROR} is never left: the producer must be closed.
 */
enum TransactionManagerState {
    UNINITIALIZED,
    /** InitProducerId in flight: a new producer, an exhausted idempotent epoch, or the epoch bump after an abort. */
    INITIALIZING,
    READY,
    IN_TRANSACTION,
    /** Flushing, then EndTxn(commit). */
    COMMITTING_TRANSACTION,
    /** Unsent batches failed, in-flight ones awaited, then EndTxn(abort) and, if required, the epoch bump. */
    ABORTING_TRANSACTION,
    /** A send or coordinator call of the open transaction failed: only abortTransaction() is allowed. */
    ABORTABLE_ERROR,
    /** Fenced or otherwise unusable: every call fails; close the producer. */
    FATAL_ERROR;

    private static final Map<TransactionManagerState, Set<TransactionManagerState>> NEXT =
            new EnumMap<>(TransactionManagerState.class);

    static {
        NEXT.put(UNINITIALIZED, EnumSet.of(INITIALIZING));
        NEXT.put(INITIALIZING, EnumSet.of(READY, FATAL_ERROR));
        NEXT.put(READY, EnumSet.of(IN_TRANSACTION, INITIALIZING, FATAL_ERROR));
        NEXT.put(
                IN_TRANSACTION, EnumSet.of(COMMITTING_TRANSACTION, ABORTING_TRANSACTION, ABORTABLE_ERROR, FATAL_ERROR));
        NEXT.put(COMMITTING_TRANSACTION, EnumSet.of(READY, ABORTABLE_ERROR, FATAL_ERROR));
        NEXT.put(ABORTING_TRANSACTION, EnumSet.of(READY, INITIALIZING, FATAL_ERROR));
        NEXT.put(ABORTABLE_ERROR, EnumSet.of(ABORTING_TRANSACTION, FATAL_ERROR));
        NEXT.put(FATAL_ERROR, EnumSet.noneOf(TransactionManagerState.class));
    }

    boolean canTransitionTo(TransactionManagerState next) {
        return NEXT.get(this).contains(next);
    }

    /**
     * @throws IllegalStateException naming both states when the table does not allow the step; the public
     *         methods check their preconditions first, so this means a bug, not a misuse
     */
    TransactionManagerState checkTransition(TransactionManagerState next) {
        if (!canTransitionTo(next)) {
            throw new IllegalStateException(
                    "Invalid transition of the producer's transaction state from " + this + " to " + next);
        }
        return next;
    }
}
