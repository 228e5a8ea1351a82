package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * The call does not fit the transaction's current state: committing with no open transaction, adding
 * partitions while a commit is completing, or a transactional write outside the producer's transaction.
 *
 * <p>Where the broker raises it, the fields name the partition and producer involved; an exception a client
 * rebuilt from the error code carries them in its message only (null or -1 here).
 */
public class InvalidTxnStateException extends WeirException {
    private final TopicPartition topicPartition;
    private final long producerId;
    private final long transactionFirstOffset;

    /**
     * As a client rebuilds it from an error code and message: the context is in the message only and the
     * accessors answer null or -1.
     */
    public InvalidTxnStateException(String message) {
        this(message, null);
    }

    public InvalidTxnStateException(String message, Throwable cause) {
        this(message, cause, null, -1L, -1L);
    }

    /**
     * The producer sent a non-transactional batch while its transaction, starting at
     * {@code transactionFirstOffset}, is open.
     *
     * @param refused what the partition refused, for the message: "batch of producer 7 at epoch 2 with sequences 1..1"
     */
    public InvalidTxnStateException(
            TopicPartition topicPartition, String refused, long producerId, long transactionFirstOffset) {
        this(
                topicPartition + " refused " + refused + ": producer " + producerId
                        + " sent a non-transactional batch while " + "its transaction starting at offset "
                        + transactionFirstOffset + " is open",
                null,
                topicPartition,
                producerId,
                transactionFirstOffset);
    }

    private InvalidTxnStateException(
            String message,
            Throwable cause,
            TopicPartition topicPartition,
            long producerId,
            long transactionFirstOffset) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.producerId = producerId;
        this.transactionFirstOffset = transactionFirstOffset;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public long producerId() {
        return producerId;
    }

    public long transactionFirstOffset() {
        return transactionFirstOffset;
    }
}
