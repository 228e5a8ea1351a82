package io.weir.clients.consumer;

import io.weir.common.TopicPartition;
import java.util.Collection;

/**
 * Told when a subscribed consumer's partitions change. Every method runs on the consumer's thread, inside
 * {@code poll} (or {@code close} / {@code unsubscribe}), so it may call the consumer, e.g. to commit.
 *
 * <p>Under an eager strategy ({@code range}, {@code roundrobin}, {@code sticky}) a rebalance revokes every
 * partition, then assigns the new set. Under {@code cooperative-sticky} only partitions that move are revoked,
 * and {@link #onPartitionsAssigned} is given only the partitions that are new to this member (possibly none).
 */
public interface ConsumerRebalanceListener {

    /** The member gives these partitions up; commit what was processed of them now. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** The member now owns these partitions; positions come from committed offsets or {@code auto.offset.reset}. */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * The member lost these partitions without a chance to give them up (its session expired, it was fenced or
     * it missed a generation): another member may already own them, so commits for them would fail.
     * Defaults to {@link #onPartitionsRevoked}, as in Kafka.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
