package io.weir.streams;

import java.util.Set;

/**
 * One stream thread as {@link WeirStreams#metadataForLocalThreads()} reports it, as Kafka Streams'
 * {@code ThreadMetadata}. Weir runs no standby tasks, so {@code standbyTasks} is empty.
 */
public record ThreadMetadata(
        String threadName,
        String threadState,
        Set<TaskMetadata> activeTasks,
        Set<TaskMetadata> standbyTasks,
        String mainConsumerClientId,
        String restoreConsumerClientId,
        Set<String> producerClientIds,
        String adminClientId) {
    public ThreadMetadata {
        activeTasks = Set.copyOf(activeTasks);
        standbyTasks = Set.copyOf(standbyTasks);
        producerClientIds = Set.copyOf(producerClientIds);
    }
}
