package io.weir.common.protocol;

/**
 * Asks for a producer id and epoch. Without a {@code transactionalId} (an idempotent producer) the broker
 * hands out a fresh id at epoch 0. With one, the transaction coordinator maps the id to its producer id,
 * bumps the epoch (fencing any older instance) and completes or aborts whatever transaction the old
 * instance left open; while that finishes the answer is {@code CONCURRENT_TRANSACTIONS} and the client retries.
 *
 * @param transactionTimeoutMs how long a transaction may stay open before the coordinator aborts it;
 *                             at most the broker's {@code transaction.max.timeout.ms}
 * @param producerId           -1 for a new instance; a running producer passes its current id and epoch to
 *                             bump the epoch and keep its id (Kafka's KIP-360), e.g. after a timed-out abort
 * @param producerEpoch        -1 for a new instance, else the current epoch
 */
public record InitProducerIdRequest(
        String transactionalId, int transactionTimeoutMs, long producerId, short producerEpoch) {}
