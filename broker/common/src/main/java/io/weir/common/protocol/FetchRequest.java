package io.weir.common.protocol;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * Reads from several partitions at once. The broker answers as soon as at least {@code minBytes} are
 * available across them, or after {@code maxWaitMs} with whatever there is (a long poll woken by appends).
 * {@code partitions} should iterate in a stable order; the response may stop early once {@code maxBytes}
 * is reached, but always includes at least one whole batch from the first partition that has data, so a
 * batch larger than the limits can still make progress.
 */
public record FetchRequest(
        int maxWaitMs,
        int minBytes,
        int maxBytes,
        IsolationLevel isolationLevel,
        Map<TopicPartition, PartitionFetch> partitions) {

    public record PartitionFetch(long fetchOffset, int maxBytes) {}
}
