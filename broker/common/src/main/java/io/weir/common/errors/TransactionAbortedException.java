package io.weir.common.errors;

/** The record was not sent because its transaction is aborting, by the user's {@code abortTransaction()} or after an earlier send of the transaction failed. Client-side only, as in Kafka. */
public class TransactionAbortedException extends WeirException {
    public TransactionAbortedException(String message) {
        super(message);
    }

    public TransactionAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
