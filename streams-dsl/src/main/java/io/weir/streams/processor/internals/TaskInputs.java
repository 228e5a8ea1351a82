package io.weir.streams.processor.internals;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.common.TopicPartition;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running task's input: a queue of fetched records per input partition, and the offsets consumed since the last
 * commit. Records are taken in timestamp order across the partitions (the head with the smallest timestamp first,
 * as Kafka Streams' {@code PartitionGroup} picks), so a join sees its two sides interleaved by time. Owned by the
 * stream thread.
 */
final class TaskInputs {
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    void addPartition(TopicPartition partition) {
        queues.putIfAbsent(partition, new ArrayDeque<>());
    }

    void add(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        queues.get(partition).add(record);
    }

    /** The next record to process, or null; marks it consumed. */
    ConsumerRecord<byte[], byte[]> next() {
        ArrayDeque<ConsumerRecord<byte[], byte[]>> pick = null;
        for (ArrayDeque<ConsumerRecord<byte[], byte[]>> queue : queues.values()) {
            if (!queue.isEmpty()
                    && (pick == null || queue.peek().timestamp() < pick.peek().timestamp())) {
                pick = queue;
            }
        }
        if (pick == null) {
            return null;
        }
        ConsumerRecord<byte[], byte[]> record = pick.poll();
        consumed.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        return record;
    }

    /** Whether records were consumed since the last commit. */
    boolean hasUncommitted() {
        return !consumed.isEmpty();
    }

    /**
     * The offsets to commit: one past the last record processed of each partition read so far, whether or not it
     * moved since the last commit, so that every commit (a transaction that only punctuations wrote, too) carries
     * offsets and with them the group's check of the member's generation.
     */
    Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        committed.forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
        consumed.forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
        return out;
    }

    /** The consumed offsets are committed now. */
    void markCommitted() {
        committed.putAll(consumed);
        consumed.clear();
    }
}
