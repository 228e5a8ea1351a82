package io.weir.streams.processor;

import io.weir.common.TopicPartition;

/**
 * Progress of stores restoring from their changelogs, as Kafka Streams' {@code StateRestoreListener}; set with
 * {@code WeirStreams.setGlobalStateRestoreListener}. Called on the restoring stream thread.
 */
public interface StateRestoreListener {

    /**
     * @param startingOffset the first changelog offset to replay (one past the store's checkpoint)
     * @param endingOffset   the changelog's end (its last stable offset) when the restore began
     */
    default void onRestoreStart(
            TopicPartition topicPartition, String storeName, long startingOffset, long endingOffset) {}

    /** After each batch the store applied and checkpointed. */
    default void onBatchRestored(
            TopicPartition topicPartition, String storeName, long batchEndOffset, long numRestored) {}

    /** When the store caught up; {@code totalRestored} is how many records it replayed. */
    default void onRestoreEnd(TopicPartition topicPartition, String storeName, long totalRestored) {}
}
