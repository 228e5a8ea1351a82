package io.weir.streams.processor;

/**
 * A task: one sub-topology's work on one partition of its source topics. Kafka's spelling, {@code 0_1}.
 *
 * @param subtopology the sub-topology's number, as {@code Topology.describe()} shows it
 * @param partition   the partition of its source topics
 */
public record TaskId(int subtopology, int partition) implements Comparable<TaskId> {
    public TaskId {
        if (subtopology < 0 || partition < 0) {
            throw new IllegalArgumentException("task " + subtopology + "_" + partition + " has a negative part");
        }
    }

    @Override
    public int compareTo(TaskId other) {
        int bySubtopology = Integer.compare(subtopology, other.subtopology);
        return bySubtopology != 0 ? bySubtopology : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return subtopology + "_" + partition;
    }
}
