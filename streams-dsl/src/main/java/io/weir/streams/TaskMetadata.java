package io.weir.streams;

import io.weir.common.TopicPartition;
import io.weir.streams.processor.TaskId;
import java.util.Map;
import java.util.Set;

/**
 * One task as {@link WeirStreams#metadataForLocalThreads()} reports it, as Kafka Streams' {@code TaskMetadata}.
 *
 * @param committedOffsets the input offsets the task last committed, by partition
 * @param endOffsets       the offsets after the last input record the task has processed, by partition
 */
public record TaskMetadata(
        TaskId taskId,
        Set<TopicPartition> topicPartitions,
        Map<TopicPartition, Long> committedOffsets,
        Map<TopicPartition, Long> endOffsets) {
    public TaskMetadata {
        topicPartitions = Set.copyOf(topicPartitions);
        committedOffsets = Map.copyOf(committedOffsets);
        endOffsets = Map.copyOf(endOffsets);
    }
}
