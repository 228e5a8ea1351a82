package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Set;

/**
 * Adds partitions to the producer's open transaction (opening it if needed) before the producer's first
 * write to them, so that the coordinator knows where to write the commit or abort markers.
 */
public record AddPartitionsToTxnRequest(
        String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions) {
    public AddPartitionsToTxnRequest {
        partitions = Set.copyOf(partitions);
    }
}
