package io.weir.transactions.errors;

/**
 * A producer with a transaction open on this partition sent a non-transactional batch. Letting it in would
 * put a record the transaction's commit or abort does not cover inside the transaction's offset range.
 * Kafka's INVALID_TXN_STATE.
 */
public class InvalidTxnStateException extends TransactionsException {
    private final long producerId;
    private final long transactionFirstOffset;

    public InvalidTxnStateException(long producerId, long transactionFirstOffset) {
        super("producer " + producerId + " sent a non-transactional batch while its transaction starting at offset "
                + transactionFirstOffset + " is open");
        this.producerId = producerId;
        this.transactionFirstOffset = transactionFirstOffset;
    }

    public long producerId() {
        return producerId;
    }

    public long transactionFirstOffset() {
        return transactionFirstOffset;
    }
}
