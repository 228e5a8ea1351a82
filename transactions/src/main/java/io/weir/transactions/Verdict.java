package io.weir.transactions;

import io.weir.transactions.errors.InvalidTxnStateException;
import io.weir.transactions.errors.OutOfOrderSequenceException;
import io.weir.transactions.errors.ProducerFencedException;
import io.weir.transactions.errors.TransactionsException;
import io.weir.transactions.errors.UnknownProducerIdException;
import java.util.Optional;

/**
 * What {@link ProducerStateManager#check} (or {@link ProducerStateManager#checkCoordinatorBatch}) decides about
 * one batch of a producer, computed without changing anything. Exactly one of: append it ({@link Append}),
 * acknowledge it as a resend without appending ({@link Duplicate}), or refuse it ({@link Rejected}, each
 * naming what was wrong). A verdict is a value; a caller that wants an exception asks a rejection for
 * {@link Rejected#toException()}. Transaction markers get a {@link MarkerVerdict} instead.
 */
public sealed interface Verdict permits Verdict.Append, Verdict.Duplicate, Verdict.Rejected {

    long producerId();

    /**
     * The batch may be appended. This is the pending change: hand it to {@link ProducerStateManager#apply}
     * with the offsets the log assigned once the append succeeded, or drop it if the append failed.
     *
     * @param firstSeq the batch's base sequence, or {@link ProducerStateManager#NO_SEQUENCE} (and so
     *                 {@code lastSeq}) for a coordinator's batch, which is not part of the producer's sequence
     * @param basedOn the producer's entry the verdict was computed from, empty for a producer the partition
     *                did not know; {@code apply} refuses the change if the entry is no longer this one
     */
    record Append(
            long producerId,
            short epoch,
            int firstSeq,
            int lastSeq,
            boolean transactional,
            Optional<ProducerStateEntry> basedOn)
            implements Verdict {}

    /**
     * A resend of a batch still in the producer's cached window, same epoch and same sequences. Acknowledge
     * it with the original's offsets and do not append it again.
     */
    record Duplicate(long producerId, short epoch, BatchMetadata original) implements Verdict {
        public long firstOffset() {
            return original.firstOffset();
        }

        public long lastOffset() {
            return original.lastOffset();
        }
    }

    /** The batch must not be appended; the record says why. */
    sealed interface Rejected extends Verdict permits Fenced, OutOfOrder, UnknownProducerId, InvalidTxnState {
        /** The typed error a caller may throw or map to a protocol error code. */
        TransactionsException toException();
    }

    /**
     * The batch's (or marker's) epoch is lower than the producer's current one: a newer instance has taken
     * over, or the coordinator bumped the epoch while aborting.
     */
    record Fenced(long producerId, short currentEpoch, short receivedEpoch)
            implements Rejected, MarkerVerdict.Rejected {
        @Override
        public TransactionsException toException() {
            return new ProducerFencedException(producerId, currentEpoch, receivedEpoch);
        }
    }

    /**
     * The batch does not start where the producer's sequence stands: a gap, a resend older than the cached
     * window, or a new epoch that does not start at 0 (then {@code expectedSeq} is 0).
     */
    record OutOfOrder(long producerId, short epoch, int expectedSeq, int receivedSeq) implements Rejected {
        @Override
        public TransactionsException toException() {
            return new OutOfOrderSequenceException(producerId, epoch, expectedSeq, receivedSeq);
        }
    }

    /** No state for the producer id and the batch does not start at 0; the client should bump its epoch. */
    record UnknownProducerId(long producerId, int receivedSeq) implements Rejected {
        @Override
        public TransactionsException toException() {
            return new UnknownProducerIdException(producerId, receivedSeq);
        }
    }

    /** A non-transactional batch from a producer whose transaction is open on this partition. */
    record InvalidTxnState(long producerId, long transactionFirstOffset) implements Rejected {
        @Override
        public TransactionsException toException() {
            return new InvalidTxnStateException(producerId, transactionFirstOffset);
        }
    }
}
