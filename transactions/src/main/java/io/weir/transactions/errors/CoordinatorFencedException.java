package io.weir.transactions.errors;

/**
 * A transaction marker carries a coordinator epoch lower than the one the partition last saw for its
 * producer: it was written by a transaction coordinator that has since been replaced (a zombie coordinator),
 * so the partition refuses to let it end the transaction. Kafka's TRANSACTION_COORDINATOR_FENCED.
 */
public class CoordinatorFencedException extends TransactionsException {
    private final long producerId;
    private final int currentCoordinatorEpoch;
    private final int receivedCoordinatorEpoch;

    public CoordinatorFencedException(long producerId, int currentCoordinatorEpoch, int receivedCoordinatorEpoch) {
        super("marker for producer " + producerId + " comes from a fenced transaction coordinator: coordinator epoch "
                + receivedCoordinatorEpoch + ", the partition has seen " + currentCoordinatorEpoch);
        this.producerId = producerId;
        this.currentCoordinatorEpoch = currentCoordinatorEpoch;
        this.receivedCoordinatorEpoch = receivedCoordinatorEpoch;
    }

    public long producerId() {
        return producerId;
    }

    public int currentCoordinatorEpoch() {
        return currentCoordinatorEpoch;
    }

    public int receivedCoordinatorEpoch() {
        return receivedCoordinatorEpoch;
    }
}
