package io.weir.clients.admin;

import io.weir.common.TopicPartition;
import java.util.Objects;

/**
 * Which open transaction {@link Admin#abortTransaction} ends with an ABORT marker: the partition and the
 * producer, as {@link Admin#describeProducers} (or {@link Admin#findHangingTransactions}) reports them.
 *
 * @param coordinatorEpoch the coordinator epoch to write in the marker; the partition's current one for its producer
 * @throws IllegalArgumentException if the producer id or epoch is negative
 */
public record AbortTransactionSpec(
        TopicPartition topicPartition, long producerId, short producerEpoch, int coordinatorEpoch) {
    public AbortTransactionSpec {
        Objects.requireNonNull(topicPartition, "topicPartition");
        if (producerId < 0 || producerEpoch < 0) {
            throw new IllegalArgumentException("AbortTransactionSpec for " + topicPartition
                    + " needs a producer id and epoch >= 0, got " + producerId + " and " + producerEpoch);
        }
    }
}
