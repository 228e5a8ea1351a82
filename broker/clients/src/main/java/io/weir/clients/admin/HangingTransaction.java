package io.weir.clients.admin;

import io.weir.common.TopicPartition;
import java.util.Objects;
import java.util.Optional;

/**
 * An open transaction on a partition that nothing will end: {@link Admin#findHangingTransactions} reports it
 * and {@link Admin#abortTransaction} ({@link #abortSpec()}) ends it.
 *
 * @param transactionalId the id the coordinator maps the producer to, if any
 */
public record HangingTransaction(
        TopicPartition topicPartition, ProducerState producer, Optional<String> transactionalId, Reason reason) {

    /** Why the transaction is hanging. */
    public enum Reason {
        /** The coordinator knows no transactional id for the producer. */
        PRODUCER_UNKNOWN_TO_COORDINATOR,
        /** The coordinator knows the producer, but its transaction (if any) does not hold this partition. */
        PARTITION_NOT_IN_TRANSACTION,
        /** The coordinator lists it, but it stayed open far past every timeout. */
        STALE
    }

    public HangingTransaction {
        Objects.requireNonNull(topicPartition, "topicPartition");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(reason, "reason");
    }

    /** The spec that aborts it: the partition, the producer and the coordinator epoch of its last marker (0 if none). */
    public AbortTransactionSpec abortSpec() {
        return new AbortTransactionSpec(
                topicPartition,
                producer.producerId(),
                (short) producer.producerEpoch(),
                producer.coordinatorEpoch().orElse(0));
    }
}
