package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The coordinator's working state for one transactional id: the metadata in effect, the transition being
 * written (at most one), and the work in flight for the transaction. Confined to the coordinator's thread.
 */
final class TxnEntry {
    /** The state in effect: the last transition the log confirmed. Null only while a new id's first write is pending. */
    TransactionMetadata current;
    /** The transition being written, or null. */
    Pending pending;
    /** The markers of the prepared transaction are being written. */
    boolean markersInFlight;
    /** Every marker of the prepared transaction is durable; only its completion is left to write. */
    boolean markersDone;
    /** Transactional offset commits of the open transaction being appended; the transaction cannot end meanwhile. */
    int offsetWritesInFlight;
    /** After a failed marker write or completion, when to try again; -1 when nothing failed. */
    long retryAtMs = -1;
    /**
     * AddPartitionsToTxn / AddOffsetsToTxn calls of the prepared transaction's own producer, made while its markers
     * were being written, in arrival order: decided with the completion and written with it, or made again once the
     * transaction completed or its markers failed.
     */
    final List<DeferredAdd> afterCompletion = new ArrayList<>();

    /** An AddPartitionsToTxn (or AddOffsetsToTxn, with the group's offsets partition) waiting for the completion. */
    record DeferredAdd(
            String transactionalId,
            long producerId,
            short producerEpoch,
            Set<TopicPartition> partitions,
            Consumer<TxnAnswer> answer) {}

    /**
     * A change being written and what to do once the log answers: its steps, one log record each, written
     * together (usually one; a completion followed by the next transaction's Ongoing when both are written at
     * once). {@code onFailed} gets the answer to give a waiting caller; transitions the coordinator makes on its
     * own ignore it and are retried later.
     */
    record Pending(List<Decision.Transition> steps, Runnable onDurable, Consumer<TxnAnswer> onFailed) {
        Pending {
            steps = List.copyOf(steps);
        }

        /** The state the id was in when the change was decided; null for a new id. */
        TransactionMetadata from() {
            return steps.get(0).from();
        }

        /** The state the id is in once the change is durable. */
        TransactionMetadata to() {
            return steps.get(steps.size() - 1).to();
        }
    }

    TxnEntry(TransactionMetadata current) {
        this.current = current;
    }

    /**
     * Whether a call of producer {@code producerId} / {@code producerEpoch} should wait for the transaction to
     * complete rather than answer CONCURRENT_TRANSACTIONS: the transaction is the producer's own, prepared, and its
     * markers have not failed (a failure would make the wait open-ended; that producer retries instead).
     */
    boolean completesFor(long producerId, short producerEpoch) {
        return current != null
                && current.state().isPrepared()
                && current.producerId() == producerId
                && current.producerEpoch() == producerEpoch
                && retryAtMs < 0;
    }

    /** Why a call that could change the id must wait, or null if it need not. */
    String busyReason() {
        if (pending != null) {
            return "a transition to " + pending.to().state().displayName() + " is being written";
        }
        if (offsetWritesInFlight > 0) {
            return offsetWritesInFlight + " transactional offset commit(s) are being appended";
        }
        return null;
    }
}
