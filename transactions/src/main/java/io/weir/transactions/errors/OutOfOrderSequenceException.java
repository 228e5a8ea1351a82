package io.weir.transactions.errors;

/**
 * A batch's first sequence is not the one the partition expects from this producer: a gap, a resend older
 * than the cached window, or a new epoch that does not start at 0. Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
public class OutOfOrderSequenceException extends TransactionsException {
    private final long producerId;
    private final short epoch;
    private final int expectedSequence;
    private final int receivedSequence;

    public OutOfOrderSequenceException(long producerId, short epoch, int expectedSequence, int receivedSequence) {
        super("out-of-order sequence from producer " + producerId + " at epoch " + epoch + ": expected "
                + expectedSequence + ", received " + receivedSequence);
        this.producerId = producerId;
        this.epoch = epoch;
        this.expectedSequence = expectedSequence;
        this.receivedSequence = receivedSequence;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public int expectedSequence() {
        return expectedSequence;
    }

    public int receivedSequence() {
        return receivedSequence;
    }
}
