package io.weir.clients.admin;

import io.weir.common.TopicPartition;
import java.util.Collection;
import java.util.Set;

/**
 * Where and how {@link Admin#findHangingTransactions} looks, as a small immutable value (each setter returns a
 * copy). By default it searches every partition of every topic, internal ones included, with Kafka's
 * {@code kafka-transactions.sh find-hanging} bound of 15 minutes.
 */
public final class FindHangingTransactionsOptions {
    /** Kafka's default {@code --max-transaction-timeout}: 15 minutes, the default transaction.max.timeout.ms. */
    public static final long DEFAULT_MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000L;

    private static final FindHangingTransactionsOptions ALL =
            new FindHangingTransactionsOptions(null, null, DEFAULT_MAX_TRANSACTION_TIMEOUT_MS, -1L);

    private final Set<String> topics;
    private final Set<TopicPartition> partitions;
    private final long maxTransactionTimeoutMs;
    private final long staleAfterMs;

    private FindHangingTransactionsOptions(
            Set<String> topics, Set<TopicPartition> partitions, long maxTransactionTimeoutMs, long staleAfterMs) {
        this.topics = topics;
        this.partitions = partitions;
        this.maxTransactionTimeoutMs = maxTransactionTimeoutMs;
        this.staleAfterMs = staleAfterMs;
    }

    public static FindHangingTransactionsOptions allPartitions() {
        return ALL;
    }

    /** Only the partitions of these topics. @throws IllegalArgumentException if null, empty or holding null */
    public FindHangingTransactionsOptions topics(Collection<String> topics) {
        if (topics == null || topics.isEmpty() || topics.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("topics needs at least one topic name, got " + topics);
        }
        return new FindHangingTransactionsOptions(Set.copyOf(topics), null, maxTransactionTimeoutMs, staleAfterMs);
    }

    /** Only these partitions. @throws IllegalArgumentException if null, empty or holding null */
    public FindHangingTransactionsOptions partitions(Collection<TopicPartition> partitions) {
        if (partitions == null || partitions.isEmpty() || partitions.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("partitions needs at least one partition, got " + partitions);
        }
        return new FindHangingTransactionsOptions(null, Set.copyOf(partitions), maxTransactionTimeoutMs, staleAfterMs);
    }

    /**
     * The broker's {@code transaction.max.timeout.ms}: only a transaction whose producer wrote nothing to the
     * partition for longer is a candidate, since the coordinator aborts every transaction it knows by then.
     *
     * @throws IllegalArgumentException if not positive
     */
    public FindHangingTransactionsOptions maxTransactionTimeoutMs(long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("maxTransactionTimeoutMs must be > 0, got " + ms);
        }
        return new FindHangingTransactionsOptions(topics, partitions, ms, staleAfterMs);
    }

    /**
     * Also report a candidate the coordinator does list, once it has stayed open this long past
     * {@link #maxTransactionTimeoutMs}: its markers never arrived. Default -1: never.
     *
     * @throws IllegalArgumentException if below -1
     */
    public FindHangingTransactionsOptions staleAfterMs(long ms) {
        if (ms < -1) {
            throw new IllegalArgumentException("staleAfterMs must be >= 0, or -1 for never; got " + ms);
        }
        return new FindHangingTransactionsOptions(topics, partitions, maxTransactionTimeoutMs, ms);
    }

    /** The topics to search, or null for all (unless {@link #partitions()} is set). */
    public Set<String> topics() {
        return topics;
    }

    /** The partitions to search, or null for every partition of {@link #topics()} (or of all topics). */
    public Set<TopicPartition> partitions() {
        return partitions;
    }

    public long maxTransactionTimeoutMs() {
        return maxTransactionTimeoutMs;
    }

    public long staleAfterMs() {
        return staleAfterMs;
    }
}
