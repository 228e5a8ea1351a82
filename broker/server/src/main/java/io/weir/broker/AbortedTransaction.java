package io.weir.broker;

import io.weir.common.TopicPartition;
import io.weir.transactions.coordinator.HangingTransactionRule;
import java.util.Objects;
import java.util.Optional;

/**
 * A hanging transaction the broker aborted with a marker ({@link EmbeddedBroker#abortHangingTransactions}).
 *
 * @param topicPartition   the partition it was open on
 * @param producerId       the producer that held it open
 * @param producerEpoch    that producer's epoch
 * @param startOffset      the offset of its first record on the partition
 * @param transactionalId  the id the coordinator maps the producer to, if any
 * @param reason           why it was hanging
 */
public record AbortedTransaction(
        TopicPartition topicPartition,
        long producerId,
        short producerEpoch,
        long startOffset,
        Optional<String> transactionalId,
        HangingTransactionRule.Reason reason) {
    public AbortedTransaction {
        Objects.requireNonNull(topicPartition, "topicPartition");
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(reason, "reason");
    }
}
