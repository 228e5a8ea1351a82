package io.weir.broker.internals.write;

import io.weir.common.TopicPartition;

/** Told, on the append thread, that a partition's high watermark moved; wakes waiting fetches. Must not block. */
@FunctionalInterface
public interface HighWatermarkListener {
    void onHighWatermarkAdvanced(TopicPartition tp);
}
