package io.weir.streams.processor.internals;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.common.TopicPartition;
import io.weir.streams.StreamsConfig;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A running task's input: a queue of fetched records per input partition, and the offsets consumed since the last
 * commit. Records are taken in timestamp order across the partitions (the head with the smallest timestamp first,
 * as Kafka Streams' {@code PartitionGroup} picks), so a join sees its two sides interleaved by time.
 *
 * <p>A task with several partitions takes a record only when every partition has one buffered, or when each empty
 * partition is known to be caught up (its lag, from the consumer's last fetch, is zero) and has stayed empty for
 * {@code max.task.idle.ms} (KIP-353, KIP-695): a partition whose lag is unknown or positive has records on the
 * broker that may come first in time, so the task waits for them. {@code max.task.idle.ms = -1} takes whatever is
 * buffered. Owned by the stream thread.
 */
final class TaskInputs {
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final long maxTaskIdleMs;
    private final Function<TopicPartition, OptionalLong> lag;
    /** Per empty, caught-up partition: the wall-clock time from which the task processes without it. */
    private final Map<TopicPartition, Long> idleDeadlines = new HashMap<>();

    /**
     * @param maxTaskIdleMs {@code max.task.idle.ms}
     * @param lag the consumer's current lag of a partition ({@code Consumer.currentLag})
     */
    TaskInputs(long maxTaskIdleMs, Function<TopicPartition, OptionalLong> lag) {
        this.maxTaskIdleMs = maxTaskIdleMs;
        this.lag = lag;
    }

    void addPartition(TopicPartition partition) {
        queues.putIfAbsent(partition, new ArrayDeque<>());
    }

    void add(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        queues.get(partition).add(record);
    }

    /**
     * The next record to process, or null if none is buffered or the task must wait for an empty partition (see the
     * class comment); marks it consumed.
     *
     * @param nowMs the wall-clock time, for the idle deadlines
     */
    ConsumerRecord<byte[], byte[]> next(long nowMs) {
        ArrayDeque<ConsumerRecord<byte[], byte[]>> pick = null;
        boolean someEmpty = false;
        for (ArrayDeque<ConsumerRecord<byte[], byte[]>> queue : queues.values()) {
            if (queue.isEmpty()) {
                someEmpty = true;
            } else if (pick == null || queue.peek().timestamp() < pick.peek().timestamp()) {
                pick = queue;
            }
        }
        if (!someEmpty) {
            idleDeadlines.clear(); // every partition has records: none is idling
        } else if (pick == null || !mayGoWithoutEmpty(nowMs)) {
            return null;
        }
        ConsumerRecord<byte[], byte[]> record = pick.poll();
        consumed.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        return record;
    }

    /**
     * Whether every empty partition is caught up and past its idle deadline. Sets the deadlines of empty caught-up
     * partitions, and drops those of partitions with records or with records on the broker.
     */
    private boolean mayGoWithoutEmpty(long nowMs) {
        if (maxTaskIdleMs == StreamsConfig.MAX_TASK_IDLE_MS_DISABLED) {
            return true;
        }
        boolean ready = true;
        for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : queues.entrySet()) {
            TopicPartition partition = e.getKey();
            if (!e.getValue().isEmpty()) {
                idleDeadlines.remove(partition);
                continue;
            }
            OptionalLong partitionLag = lag.apply(partition);
            if (partitionLag.isEmpty() || partitionLag.getAsLong() > 0) {
                idleDeadlines.remove(partition); // never fetched, or its records are on the broker: wait for them
                ready = false;
            } else if (nowMs < idleDeadlines.computeIfAbsent(partition, p -> nowMs + maxTaskIdleMs)) {
                ready = false;
            }
        }
        return ready;
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
