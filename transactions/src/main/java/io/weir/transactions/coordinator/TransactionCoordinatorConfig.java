package io.weir.transactions.coordinator;

/**
 * The coordinator's settings, with the broker keys they come from.
 *
 * @param maxTimeoutMs                {@code transaction.max.timeout.ms}: the longest timeout a producer may ask for
 * @param transactionalIdExpirationMs {@code transactional.id.expiration.ms}: an id with no transaction open and
 *                                    no transition for this long is forgotten
 * @param abortTimedOutIntervalMs     how often timed-out transactions are looked for and aborted
 * @param removeExpiredIntervalMs     how often expired ids are looked for and removed
 * @param markerRetryBackoffMs        how long after a failed marker write (or a failed completion) the markers
 *                                    of a prepared transaction are written again
 */
public record TransactionCoordinatorConfig(
        int maxTimeoutMs,
        long transactionalIdExpirationMs,
        long abortTimedOutIntervalMs,
        long removeExpiredIntervalMs,
        long markerRetryBackoffMs) {
    public TransactionCoordinatorConfig {
        if (maxTimeoutMs < 1
                || transactionalIdExpirationMs < 1
                || abortTimedOutIntervalMs < 1
                || removeExpiredIntervalMs < 1
                || markerRetryBackoffMs < 0) {
            throw new IllegalArgumentException(
                    "transaction.max.timeout.ms=" + maxTimeoutMs + ", transactional.id.expiration.ms="
                            + transactionalIdExpirationMs + ", abort interval " + abortTimedOutIntervalMs
                            + " ms, expiry interval "
                            + removeExpiredIntervalMs + " ms, marker retry backoff " + markerRetryBackoffMs
                            + " ms: each must be >= 1 (the backoff >= 0)");
        }
    }
}
