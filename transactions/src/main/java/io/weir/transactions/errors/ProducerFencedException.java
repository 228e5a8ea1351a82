package io.weir.transactions.errors;

/**
 * A batch carries an epoch lower than the one the partition has seen for its producer id: a newer instance
 * (or an epoch bump) has fenced this one. For produce requests Kafka answers INVALID_PRODUCER_EPOCH.
 */
public class ProducerFencedException extends TransactionsException {
    private final long producerId;
    private final short currentEpoch;
    private final short receivedEpoch;

    public ProducerFencedException(long producerId, short currentEpoch, short receivedEpoch) {
        super("producer " + producerId + " is fenced: current epoch " + currentEpoch + ", received epoch "
                + receivedEpoch);
        this.producerId = producerId;
        this.currentEpoch = currentEpoch;
        this.receivedEpoch = receivedEpoch;
    }

    public long producerId() {
        return producerId;
    }

    public short currentEpoch() {
        return currentEpoch;
    }

    public short receivedEpoch() {
        return receivedEpoch;
    }
}
