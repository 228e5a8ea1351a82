package io.weir.clients.consumer;

import java.util.Map;

/**
 * Told the outcome of {@link Consumer#commitAsync}. Runs on the consumer's thread, inside a later call to
 * {@code poll}, {@code commitSync}, {@code commitAsync} or {@code close}, in the order the commits were made.
 */
@FunctionalInterface
public interface OffsetCommitCallback {
    /**
     * @param offsets   what was committed (or attempted)
     * @param exception null on success; otherwise why the commit failed, e.g.
     *                  {@link io.weir.common.errors.CommitFailedException}
     */
    void onComplete(Map<io.weir.common.TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}
