package io.weir.transactions;

import io.weir.transactions.errors.CoordinatorFencedException;
import io.weir.transactions.errors.TransactionsException;
import java.util.Optional;

/**
 * What {@link ProducerStateManager#checkMarker} decides about one transaction marker, computed without
 * changing anything: write it ({@link EndTxn}) or refuse it ({@link Rejected}). A marker is never a
 * duplicate: the coordinator writes each one once per partition, and a second marker for a producer with no
 * open transaction is simply accepted and ends nothing.
 */
public sealed interface MarkerVerdict permits MarkerVerdict.EndTxn, MarkerVerdict.Rejected {

    long producerId();

    /**
     * The marker may be written. This is the pending change: hand it to {@link ProducerStateManager#applyMarker}
     * with the marker's offset once the log took it.
     *
     * @param epoch            the marker's producer epoch; higher than the producer's when the coordinator
     *                         bumped it while fencing, which then restarts the producer's sequence at 0
     * @param coordinatorEpoch the epoch of the coordinator that wrote it, stored for fencing later markers
     * @param basedOn          the producer's entry the verdict was computed from, empty for a producer the
     *                         partition did not know; {@code applyMarker} refuses the change if it moved on
     */
    record EndTxn(
            long producerId,
            short epoch,
            int coordinatorEpoch,
            TransactionResult result,
            Optional<ProducerStateEntry> basedOn)
            implements MarkerVerdict {}

    /** The marker must not be written; the record says why. */
    sealed interface Rejected extends MarkerVerdict permits Verdict.Fenced, CoordinatorFenced {
        /** The typed error a caller may throw or map to a protocol error code. */
        TransactionsException toException();
    }

    /** The marker's coordinator epoch is lower than the one that wrote this producer's last marker. */
    record CoordinatorFenced(long producerId, int currentCoordinatorEpoch, int receivedCoordinatorEpoch)
            implements Rejected {
        @Override
        public TransactionsException toException() {
            return new CoordinatorFencedException(producerId, currentCoordinatorEpoch, receivedCoordinatorEpoch);
        }
    }
}
