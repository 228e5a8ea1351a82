package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Record batches (v2 layout, base offset 0; the broker assigns offsets) for one or more partitions.
 * {@code acks}: 0 completes when the broker has taken the request, 1 and -1 (all) when the batches are
 * appended and, where the flush policy asks for it, synced. {@code timeoutMs} bounds how long the broker
 * may wait for room in a full append ring.
 */
public record ProduceRequest(
        short acks, int timeoutMs, String transactionalId, Map<TopicPartition, ByteBuffer> batches) {}
