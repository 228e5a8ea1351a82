package io.weir.transactions.coordinator;

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
     * A transition being written and what to do once the log answers. {@code onFailed} gets the answer to
     * give a waiting caller; transitions the coordinator makes on its own ignore it and are retried later.
     */
    record Pending(Decision.Transition transition, Runnable onDurable, Consumer<TxnAnswer> onFailed) {}

    TxnEntry(TransactionMetadata current) {
        this.current = current;
    }

    /** Why a call that could change the id must wait, or null if it need not. */
    String busyReason() {
        if (pending != null) {
            return "a transition to " + pending.transition().to().state().displayName() + " is being written";
        }
        if (offsetWritesInFlight > 0) {
            return offsetWritesInFlight + " transactional offset commit(s) are being appended";
        }
        return null;
    }
}
