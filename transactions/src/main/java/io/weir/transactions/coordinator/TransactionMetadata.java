package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the coordinator knows of one transactional id: an immutable value, replaced whole by every
 * transition and written whole to the transaction log.
 *
 * @param producerId          the id the producer stamps on its batches
 * @param lastProducerId      the id before the last rotation (epoch exhaustion), -1 if none; lets a retried
 *                            InitProducerId that rotated the id find its answer
 * @param producerEpoch       the current epoch; batches and calls with a lower one are fenced
 * @param lastProducerEpoch   the epoch of the instance that held this producer id before the coordinator
 *                            bumped it for that same instance (its own KIP-360 InitProducerId, or a timeout
 *                            abort), -1 when a new instance took over or after a reload; a call with this
 *                            epoch is answered INVALID_PRODUCER_EPOCH (re-initialise) rather than
 *                            PRODUCER_FENCED (close)
 * @param timeoutMs           {@code transaction.timeout.ms} of the producer
 * @param partitions          the partitions of the open transaction, sorted; empty unless one is open
 * @param txnStartTimestamp   when the open transaction began (its first AddPartitions), -1 before the first
 * @param lastUpdateTimestamp when the last transition was made; idle ids expire counting from it
 */
public record TransactionMetadata(
        String transactionalId,
        long producerId,
        long lastProducerId,
        short producerEpoch,
        short lastProducerEpoch,
        int timeoutMs,
        TransactionState state,
        Set<TopicPartition> partitions,
        long txnStartTimestamp,
        long lastUpdateTimestamp) {

    /**
     * @throws IllegalArgumentException naming the id and the field when the value is not one the coordinator
     *         can hold: negative ids or epochs, a non-positive timeout, PrepareEpochFence (never held), an
     *         open transaction without partitions or start time, or partitions without one
     */
    public TransactionMetadata {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(partitions, "partitions");
        SortedSet<TopicPartition> sorted = new TreeSet<>(partitions);
        partitions = Collections.unmodifiableSortedSet(sorted);
        String problem = null;
        if (transactionalId.isEmpty()) {
            problem = "the transactional id is empty";
        } else if (producerId < 0 || lastProducerId < -1) {
            problem = "producer id " + producerId + " (last " + lastProducerId + ") is negative";
        } else if (producerEpoch < 0 || lastProducerEpoch < -1) {
            problem = "producer epoch " + producerEpoch + " (last " + lastProducerEpoch + ") is negative";
        } else if (timeoutMs <= 0) {
            problem = "transaction timeout " + timeoutMs + " ms is not positive";
        } else if (state == TransactionState.PREPARE_EPOCH_FENCE) {
            problem = "PrepareEpochFence is passed through, never held";
        } else if (state.isTransactionOpen() && (partitions.isEmpty() || txnStartTimestamp < 0)) {
            problem = state.displayName() + " needs partitions and a start time, has " + partitions + " from "
                    + txnStartTimestamp;
        } else if (!state.isTransactionOpen() && !partitions.isEmpty()) {
            problem = state.displayName() + " holds no open transaction but lists partitions " + partitions;
        }
        if (problem != null) {
            throw new IllegalArgumentException(
                    "Invalid metadata of transactional id " + transactionalId + ": " + problem);
        }
    }

    /** A new id, or one whose producer id rotated: Empty at the given producer id and epoch. */
    static TransactionMetadata empty(
            String transactionalId,
            long producerId,
            long lastProducerId,
            short epoch,
            short lastEpoch,
            int timeoutMs,
            long now) {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                lastProducerId,
                epoch,
                lastEpoch,
                timeoutMs,
                TransactionState.EMPTY,
                Set.of(),
                -1L,
                now);
    }

    /** This transaction moved to {@code next} with the same producer and partitions. */
    TransactionMetadata moveTo(TransactionState next, long now) {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                lastProducerId,
                producerEpoch,
                lastProducerEpoch,
                timeoutMs,
                next,
                partitions,
                txnStartTimestamp,
                now);
    }

    /** The abort of a fenced transaction: PrepareAbort at {@code epoch}, the rest as it was. */
    TransactionMetadata fencedAbort(short epoch, short lastEpoch, long now) {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                lastProducerId,
                epoch,
                lastEpoch,
                timeoutMs,
                TransactionState.PREPARE_ABORT,
                partitions,
                txnStartTimestamp,
                now);
    }

    /** The transaction's markers are written: Complete* with no partitions, the start time kept as Kafka does. */
    TransactionMetadata completed(long now) {
        TransactionState next = state == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        return new TransactionMetadata(
                transactionalId,
                producerId,
                lastProducerId,
                producerEpoch,
                lastProducerEpoch,
                timeoutMs,
                next,
                Set.of(),
                txnStartTimestamp,
                now);
    }

    /** Ongoing with {@code added} joined to the partitions; a transaction opened now starts now. */
    TransactionMetadata withPartitions(Set<TopicPartition> added, long now) {
        Set<TopicPartition> all = new TreeSet<>(partitions);
        all.addAll(added);
        long start = state == TransactionState.ONGOING ? txnStartTimestamp : now;
        return new TransactionMetadata(
                transactionalId,
                producerId,
                lastProducerId,
                producerEpoch,
                lastProducerEpoch,
                timeoutMs,
                TransactionState.ONGOING,
                all,
                start,
                now);
    }

    /** Dead, which the log stores as a tombstone. */
    TransactionMetadata dead(long now) {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                lastProducerId,
                producerEpoch,
                lastProducerEpoch,
                timeoutMs,
                TransactionState.DEAD,
                Set.of(),
                -1L,
                now);
    }

    /** As a reload finds it: the log does not store the last producer id and epoch (Kafka's value version 0). */
    public TransactionMetadata withoutLastProducer() {
        return new TransactionMetadata(
                transactionalId,
                producerId,
                -1L,
                producerEpoch,
                (short) -1,
                timeoutMs,
                state,
                partitions,
                txnStartTimestamp,
                lastUpdateTimestamp);
    }

    /** Whether the transaction has run longer than its timeout at {@code now} (Kafka's strict comparison). */
    boolean timedOut(long now) {
        return state == TransactionState.ONGOING && txnStartTimestamp + timeoutMs < now;
    }

    @Override
    public String toString() {
        return "TransactionMetadata(" + transactionalId + ", " + state.displayName() + ", producer " + producerId
                + " epoch " + producerEpoch + (lastProducerEpoch >= 0 ? " (last " + lastProducerEpoch + ")" : "")
                + (lastProducerId >= 0 ? " (last id " + lastProducerId + ")" : "") + ", timeout " + timeoutMs
                + " ms, partitions " + partitions + ", started " + txnStartTimestamp + ", updated "
                + lastUpdateTimestamp + ")";
    }
}
