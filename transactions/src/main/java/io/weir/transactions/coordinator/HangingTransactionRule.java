package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When an open transaction on a partition is hanging, that is, when nothing will ever end it: the decision behind
 * the broker's {@code weir.transaction.hanging.abort.ms}, made from what a partition and the coordinator report,
 * with no I/O. The broker gathers those reports and applies the verdicts itself (it writes an abort marker).
 *
 * <p>A producer is a <em>candidate</em> when its transaction on the partition is open and it wrote nothing for
 * longer than {@code transaction.max.timeout.ms}: no live transaction can be that old, since the coordinator
 * aborts any transaction past its timeout. A candidate is hanging when the coordinator cannot end it: it maps the
 * producer to no transactional id, or its transaction does not hold this partition (the marker will never come
 * here). With {@code staleAfterMs >= 0}, a candidate the coordinator does list is also hanging once it stayed open
 * that much longer still. Immutable and thread-safe.
 */
public final class HangingTransactionRule {

    /** Why a transaction is hanging. */
    public enum Reason {
        /** The coordinator maps the producer to no transactional id. */
        PRODUCER_UNKNOWN_TO_COORDINATOR,
        /** The coordinator knows the producer, but its transaction (if any) does not hold this partition. */
        PARTITION_NOT_IN_TRANSACTION,
        /** The coordinator lists it, but it stayed open far past every timeout. */
        STALE
    }

    /**
     * What the coordinator holds for the transactional id a candidate producer maps to.
     *
     * @param producerId the producer id of the id's current transaction
     * @param partitions the partitions that transaction holds
     */
    public record CoordinatorView(long producerId, Set<TopicPartition> partitions) {
        public CoordinatorView {
            partitions = Set.copyOf(partitions);
        }
    }

    private final long maxTransactionTimeoutMs;
    private final long staleAfterMs;

    /**
     * @param maxTransactionTimeoutMs {@code transaction.max.timeout.ms}: an open transaction idle for longer is a candidate
     * @param staleAfterMs            how much longer still a transaction the coordinator lists may stay open; -1 never
     * @throws IllegalArgumentException if {@code maxTransactionTimeoutMs < 0} or {@code staleAfterMs < -1}
     */
    public HangingTransactionRule(long maxTransactionTimeoutMs, long staleAfterMs) {
        if (maxTransactionTimeoutMs < 0) {
            throw new IllegalArgumentException("maxTransactionTimeoutMs " + maxTransactionTimeoutMs + " is negative");
        }
        if (staleAfterMs < -1) {
            throw new IllegalArgumentException("staleAfterMs " + staleAfterMs + " is below -1 (never)");
        }
        this.maxTransactionTimeoutMs = maxTransactionTimeoutMs;
        this.staleAfterMs = staleAfterMs;
    }

    /** Whether a producer with an open transaction, idle for {@code idleMs}, is worth asking the coordinator about. */
    public boolean isCandidate(long idleMs) {
        return idleMs > maxTransactionTimeoutMs;
    }

    /**
     * The verdict on one candidate.
     *
     * @param partition  the partition its transaction is open on
     * @param producerId the producer holding it open
     * @param idleMs     how long the producer wrote nothing to the partition
     * @param owner      what the coordinator holds for the producer's transactional id; empty when it maps the
     *                   producer to none
     * @return why the transaction is hanging, or empty when the coordinator will end it
     */
    public Optional<Reason> classify(
            TopicPartition partition, long producerId, long idleMs, Optional<CoordinatorView> owner) {
        Objects.requireNonNull(partition, "partition");
        if (!isCandidate(idleMs)) {
            return Optional.empty();
        }
        if (owner.isEmpty()) {
            return Optional.of(Reason.PRODUCER_UNKNOWN_TO_COORDINATOR);
        }
        CoordinatorView view = owner.get();
        if (view.producerId() != producerId || !view.partitions().contains(partition)) {
            return Optional.of(Reason.PARTITION_NOT_IN_TRANSACTION);
        }
        if (staleAfterMs >= 0 && idleMs > maxTransactionTimeoutMs + staleAfterMs) {
            return Optional.of(Reason.STALE);
        }
        return Optional.empty();
    }
}
