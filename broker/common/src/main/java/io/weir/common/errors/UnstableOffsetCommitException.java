package io.weir.common.errors;

/**
 * A {@code read_committed} consumer asked for a committed offset while a transaction that commits a new
 * offset for the partition is still open (Kafka's KIP-447): starting from the old offset could read records
 * the open transaction has already consumed. Retried until the transaction ends.
 */
public class UnstableOffsetCommitException extends RetriableException {
    public UnstableOffsetCommitException(String message) {
        super(message);
    }

    public UnstableOffsetCommitException(String message, Throwable cause) {
        super(message, cause);
    }
}
