package io.weir.common.protocol;

/**
 * Ends the producer's transaction. The answer comes once the decision (PrepareCommit or PrepareAbort) is
 * durable in the transaction log; the markers are then written to every partition of the transaction, and
 * until they are, the next call for this {@code transactionalId} answers {@code CONCURRENT_TRANSACTIONS}.
 */
public record EndTxnRequest(String transactionalId, long producerId, short producerEpoch, boolean committed) {}
