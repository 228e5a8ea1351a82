package io.weir.transactions;

/**
 * How a transaction ends: the kind of the marker the coordinator writes to each of its partitions (Kafka's
 * TransactionResult). On a partition, a COMMIT makes the transaction's batches visible to read_committed
 * readers; an ABORT makes them skip those batches.
 */
public enum TransactionResult {
    ABORT,
    COMMIT
}
