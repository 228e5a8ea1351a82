package io.weir.common.errors;

/** The call does not fit the transaction's current state: committing with no open transaction, adding partitions while a commit is completing, or a transactional write outside the producer's transaction. */
public class InvalidTxnStateException extends WeirException {
    public InvalidTxnStateException(String message) {
        super(message);
    }

    public InvalidTxnStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
