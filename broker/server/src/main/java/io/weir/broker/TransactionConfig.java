package io.weir.broker;

import io.weir.common.errors.InvalidConfigurationException;

/**
 * The transaction coordinator's and the partitions' producer-state settings within {@link BrokerConfig},
 * with Kafka's broker keys. Immutable.
 *
 * @param maxTimeoutMs                 {@code transaction.max.timeout.ms}: the longest {@code transaction.timeout.ms}
 *                                     a producer may ask for
 * @param transactionalIdExpirationMs  {@code transactional.id.expiration.ms}: a transactional id with no
 *                                     transaction open and no call for this long is forgotten
 * @param stateLogPartitions           {@code transaction.state.log.num.partitions}: partitions of
 *                                     {@code __transaction_state} when it is first created
 * @param stateLogSegmentBytes         {@code transaction.state.log.segment.bytes}
 * @param abortTimedOutIntervalMs      {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}: how often
 *                                     the coordinator looks for transactions past their timeout
 * @param removeExpiredIntervalMs      {@code transaction.remove.expired.transaction.cleanup.interval.ms}: how often it
 *                                     looks for expired transactional ids
 * @param producerIdExpirationMs       {@code producer.id.expiration.ms}: a partition forgets a producer after this
 *                                     long without a batch from it
 * @param producerIdExpirationCheckMs  {@code producer.id.expiration.check.interval.ms}
 * @param hangingAbortMs               {@code weir.transaction.hanging.abort.ms}: a partition's open transaction
 *                                     that the coordinator does not know, or that is older than this bound plus
 *                                     {@code transaction.max.timeout.ms}, is aborted automatically; -1 (the
 *                                     default) only reports them through {@code Admin}
 */
public record TransactionConfig(
        int maxTimeoutMs,
        long transactionalIdExpirationMs,
        int stateLogPartitions,
        int stateLogSegmentBytes,
        long abortTimedOutIntervalMs,
        long removeExpiredIntervalMs,
        long producerIdExpirationMs,
        long producerIdExpirationCheckMs,
        long hangingAbortMs) {
    public static final TransactionConfig DEFAULTS = new TransactionConfig(
            900_000, 604_800_000L, 4, 100 * 1024 * 1024, 10_000L, 3_600_000L, 86_400_000L, 600_000L, -1L);

    public TransactionConfig {
        if (maxTimeoutMs < 1
                || transactionalIdExpirationMs < 1
                || stateLogPartitions < 1
                || stateLogSegmentBytes < 14
                || abortTimedOutIntervalMs < 1
                || removeExpiredIntervalMs < 1
                || producerIdExpirationMs < 1
                || producerIdExpirationCheckMs < 1
                || hangingAbortMs < -1) {
            throw new InvalidConfigurationException("transaction.max.timeout.ms=" + maxTimeoutMs
                    + ", transactional.id.expiration.ms=" + transactionalIdExpirationMs
                    + ", transaction.state.log.num.partitions=" + stateLogPartitions
                    + ", transaction.state.log.segment.bytes=" + stateLogSegmentBytes
                    + ", transaction.abort.timed.out.transaction.cleanup.interval.ms=" + abortTimedOutIntervalMs
                    + ", transaction.remove.expired.transaction.cleanup.interval.ms=" + removeExpiredIntervalMs
                    + ", producer.id.expiration.ms=" + producerIdExpirationMs
                    + ", producer.id.expiration.check.interval.ms=" + producerIdExpirationCheckMs
                    + ", weir.transaction.hanging.abort.ms=" + hangingAbortMs
                    + ": each must be >= 1 (segment bytes >= 14, the hanging bound >= -1)");
        }
    }
}
