package io.weir.clients.admin;

import io.weir.common.TopicPartition;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A transactional id's state at its coordinator, as {@link Admin#describeTransactions} reports it (Kafka's
 * {@code TransactionDescription}).
 *
 * @param transactionStartTimeMs when the open transaction began; empty when none is open
 * @param topicPartitions        the partitions of the open transaction (or of the one whose markers are being
 *                               written); empty when none is open
 */
public record TransactionDescription(
        int coordinatorId,
        TransactionState state,
        long producerId,
        int producerEpoch,
        long transactionTimeoutMs,
        OptionalLong transactionStartTimeMs,
        Set<TopicPartition> topicPartitions) {
    public TransactionDescription {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(transactionStartTimeMs, "transactionStartTimeMs");
        topicPartitions = Set.copyOf(topicPartitions);
    }
}
