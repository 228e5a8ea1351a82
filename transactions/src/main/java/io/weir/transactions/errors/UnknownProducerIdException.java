package io.weir.transactions.errors;

/**
 * The partition holds no state for this producer id (never seen, or expired) and the batch does not start
 * at sequence 0, so it cannot tell a continuation from a gap. The client answers by bumping its epoch and
 * restarting its sequences at 0. Kafka's UNKNOWN_PRODUCER_ID.
 */
public class UnknownProducerIdException extends TransactionsException {
    private final long producerId;
    private final int receivedSequence;

    public UnknownProducerIdException(long producerId, int receivedSequence) {
        super("no state for producer " + producerId + " and its batch starts at sequence " + receivedSequence
                + ", not 0");
        this.producerId = producerId;
        this.receivedSequence = receivedSequence;
    }

    public long producerId() {
        return producerId;
    }

    public int receivedSequence() {
        return receivedSequence;
    }
}
