package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import io.weir.transactions.TransactionResult;
import java.util.Set;

/**
 * Writes the commit or abort markers of a prepared transaction to its partitions; the broker implements it
 * with control batches on the partitions' write path.
 */
public interface TransactionMarkers {

    /** The markers of one transaction: one control batch of {@code result} per partition. */
    record Request(
            String transactionalId,
            long producerId,
            short producerEpoch,
            TransactionResult result,
            Set<TopicPartition> partitions) {
        public Request {
            partitions = Set.copyOf(partitions);
        }
    }

    /**
     * Writes every marker of {@code request}, then calls {@code done} exactly once: with null when each is
     * durable or its partition no longer exists (a deleted topic needs no marker), else with the first
     * failure, after which the coordinator writes all of them again later (a repeated marker ends nothing).
     * As for {@link TransactionLog#write}, {@code done} never runs inside this call.
     */
    void write(Request request, WriteCallback done);
}
