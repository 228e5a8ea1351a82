package io.weir.transactions.coordinator;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a transactional id at its coordinator, with Kafka's names, ids (the status byte of a
 * {@code __transaction_state} value) and table of valid previous states:
 *
 * <pre>
 *  state              may follow
 *  Empty              Empty, CompleteCommit, CompleteAbort
 *  Ongoing            Ongoing, Empty, CompleteCommit, CompleteAbort
 *  PrepareCommit      Ongoing
 *  PrepareAbort       Ongoing, PrepareEpochFence
 *  CompleteCommit     PrepareCommit
 *  CompleteAbort      PrepareAbort
 *  Dead               Empty, CompleteCommit, CompleteAbort
 *  PrepareEpochFence  Ongoing
 * </pre>
 *
 * A new transactional id starts in Empty. PrepareEpochFence is passed through, never stored: fencing an
 * Ongoing transaction (a new instance, or the transaction's timeout) goes Ongoing, PrepareEpochFence,
 * PrepareAbort with the bumped epoch in one write, as in Kafka. Dead is written as a tombstone: the id is
 * forgotten.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    private final byte id;
    private final String displayName;

    TransactionState(int id, String displayName) {
        this.id = (byte) id;
        this.displayName = displayName;
    }

    /** The status byte Kafka's transaction log stores for this state. */
    public byte id() {
        return id;
    }

    /** Kafka's spelling, as ListTransactions and DescribeTransactions report it. */
    public String displayName() {
        return displayName;
    }

    /** The states this one may follow; see the class comment. */
    public Set<TransactionState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT, PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
        };
    }

    public boolean canFollow(TransactionState previous) {
        return validPreviousStates().contains(previous);
    }

    /**
     * @throws IllegalStateException naming the transactional id and both states when the table forbids the move
     */
    public static void checkTransition(String transactionalId, TransactionState from, TransactionState to) {
        if (!to.canFollow(from)) {
            throw new IllegalStateException("Transactional id " + transactionalId + " cannot move from "
                    + from.displayName + " to " + to.displayName + "; " + to.displayName + " may only follow "
                    + to.validPreviousStates().stream()
                            .map(TransactionState::displayName)
                            .toList());
        }
    }

    /** A transaction is open: partitions may hold its batches without a marker yet. */
    public boolean isTransactionOpen() {
        return this == ONGOING || this == PREPARE_COMMIT || this == PREPARE_ABORT || this == PREPARE_EPOCH_FENCE;
    }

    /** The decision is durable and the markers are being written. */
    public boolean isPrepared() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction open: a new one may start, or the id may expire. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    /**
     * @throws IllegalArgumentException for a byte that names no state
     */
    public static TransactionState fromId(byte id) {
        for (TransactionState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("transaction status " + id + " names no state; known: 0..7");
    }

    public static Optional<TransactionState> fromDisplayName(String name) {
        for (TransactionState s : values()) {
            if (s.displayName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
