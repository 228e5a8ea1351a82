package io.weir.transactions;

/**
 * A transaction a marker ended on one partition: what the broker needs to index an aborted transaction
 * (Kafka's CompletedTxn). The transaction's batches lie between the two offsets, interleaved with other
 * producers' batches.
 *
 * @param producerId  the producer whose transaction ended
 * @param firstOffset offset of the transaction's first batch on this partition
 * @param lastOffset  offset of the marker that ended it
 * @param result      whether it committed or aborted
 */
public record CompletedTxn(long producerId, long firstOffset, long lastOffset, TransactionResult result) {

    /** @throws IllegalArgumentException if the offsets run backwards or the result is missing */
    public CompletedTxn {
        if (firstOffset < 0 || lastOffset <= firstOffset) {
            throw new IllegalArgumentException("producer " + producerId + ": a transaction from offset " + firstOffset
                    + " cannot end at offset " + lastOffset);
        }
        if (result == null) {
            throw new IllegalArgumentException("producer " + producerId + ": a completed transaction needs a result");
        }
    }

    public boolean isAborted() {
        return result == TransactionResult.ABORT;
    }
}
