package io.weir.transactions.coordinator;

/**
 * The errors the coordinator answers with, named after the Kafka error codes the broker maps them to. What
 * the client does with each is part of the protocol, so it is stated here.
 */
public enum TxnError {
    NONE,
    /** Retriable: another change of this transactional id is being written, or its markers are. */
    CONCURRENT_TRANSACTIONS,
    /** Retriable: the coordinator is still loading the transaction log. */
    COORDINATOR_LOAD_IN_PROGRESS,
    /** Retriable: the transaction log could not take the change, or the coordinator is closing. */
    COORDINATOR_NOT_AVAILABLE,
    /** The request itself is malformed (an empty transactional id, half of a producer id and epoch pair). */
    INVALID_REQUEST,
    /** {@code transaction.timeout.ms} is not positive or above {@code transaction.max.timeout.ms}. */
    INVALID_TRANSACTION_TIMEOUT,
    /** The transactional id is unknown, or maps to another producer id: call InitProducerId first. */
    INVALID_PRODUCER_ID_MAPPING,
    /** Fatal for the producer: a newer instance with the same transactional id has taken over. */
    PRODUCER_FENCED,
    /**
     * Abortable: the coordinator bumped this producer's epoch for the same instance (its transaction timed out
     * and was aborted, EndTxn(abort) included); InitProducerId with the producer's id and epoch continues it.
     */
    INVALID_PRODUCER_EPOCH,
    /** The call does not fit the transaction's state (EndTxn with none open, the other outcome of one ending). */
    INVALID_TXN_STATE
}
