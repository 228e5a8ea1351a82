package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * A group's offsets written as part of a transaction: stored as transactional records in
 * {@code __consumer_offsets}, and visible to fetches only once the transaction commits. The generation and
 * member id are checked as for {@link OffsetCommitRequest}, so a member fenced by a rebalance cannot commit
 * (generation -1 and an empty member id skip the check, as in Kafka, for producers without group metadata).
 */
public record TxnOffsetCommitRequest(
        String transactionalId,
        String groupId,
        long producerId,
        short producerEpoch,
        int generationId,
        String memberId,
        String groupInstanceId,
        Map<TopicPartition, OffsetCommitRequest.CommittedOffset> offsets) {
    public TxnOffsetCommitRequest {
        offsets = Map.copyOf(offsets);
    }
}
