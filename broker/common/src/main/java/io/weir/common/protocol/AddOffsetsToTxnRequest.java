package io.weir.common.protocol;

/**
 * Adds the group's offsets partition of {@code __consumer_offsets} to the producer's transaction, ahead of
 * a {@link TxnOffsetCommitRequest} for that group.
 */
public record AddOffsetsToTxnRequest(String transactionalId, long producerId, short producerEpoch, String groupId) {}
