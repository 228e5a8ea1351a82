package io.weir.clients.producer.internals;

/** How the producer ends a transaction: the {@code committed} flag of EndTxn, named. */
enum TxnOutcome {
    COMMIT,
    ABORT
}
