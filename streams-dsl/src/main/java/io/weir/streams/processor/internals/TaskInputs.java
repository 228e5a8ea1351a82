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
    /** One input partition: its fetched records, and one past the last record taken and the last committed. */
    private static final class Input {
        final TopicPartition partition;
        final ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = new ArrayDeque<>();
        long consumed = -1;
        long committed = -1;
        /** While empty and caught up: the wall-clock time from which the task processes without it; else -1. */
        long idleDeadline = -1;

        Input(TopicPartition partition) {
            this.partition = partition;
        }
    }

    private final Map<TopicPartition, Input> byPartition = new LinkedHashMap<>();
    private Input[] inputs = new Input[0];
    private boolean uncommitted;
    private final long maxTaskIdleMs;
    private final Function<TopicPartition, OptionalLong> lag;

    /**
     * @param maxTaskIdleMs {@code max.task.idle.ms}
     * @param lag the consumer's current lag of a partition ({@code Consumer.currentLag})
     */
    TaskInputs(long maxTaskIdleMs, Function<TopicPartition, OptionalLong> lag) {
        this.maxTaskIdleMs = maxTaskIdleMs;
        this.lag = lag;
    }

    void addPartition(TopicPartition partition) {
        if (!byPartition.containsKey(partition)) {
            byPartition.put(partition, new Input(partition));
            inputs = byPartition.values().toArray(new Input[0]);
        }
    }

    void add(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        byPartition.get(partition).queue.add(record);
    }

    /**
     * The next record to process, or null if none is buffered or the task must wait for an empty partition (see the
     * class comment); marks it consumed.
     *
     * @param nowMs the wall-clock time, for the idle deadlines
     */
    ConsumerRecord<byte[], byte[]> next(long nowMs) {
        Input pick = null;
        boolean someEmpty = false;
        for (Input input : inputs) {
            ConsumerRecord<byte[], byte[]> head = input.queue.peek();
            if (head == null) {
                someEmpty = true;
            } else if (pick == null || head.timestamp() < pick.queue.peek().timestamp()) {
                pick = input;
            }
        }
        if (pick == null || (someEmpty && !mayGoWithoutEmpty(nowMs))) {
            return null;
        }
        ConsumerRecord<byte[], byte[]> record = pick.queue.poll();
        pick.idleDeadline = -1;
        pick.consumed = record.offset() + 1;
        uncommitted = true;
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
        for (Input input : inputs) {
            if (!input.queue.isEmpty()) {
                input.idleDeadline = -1;
                continue;
            }
            OptionalLong partitionLag = lag.apply(input.partition);
            if (partitionLag.isEmpty() || partitionLag.getAsLong() > 0) {
                input.idleDeadline = -1; // never fetched, or its records are on the broker: wait for them
                ready = false;
            } else {
                if (input.idleDeadline < 0) {
                    input.idleDeadline = nowMs + maxTaskIdleMs;
                }
                ready &= nowMs >= input.idleDeadline;
            }
        }
        return ready;
    }

    /** Whether records were consumed since the last commit. */
    boolean hasUncommitted() {
        return uncommitted;
    }

    /**
     * The offsets to commit: one past the last record processed of each partition read so far, whether or not it
     * moved since the last commit, so that every commit (a transaction that only punctuations wrote, too) carries
     * offsets and with them the group's check of the member's generation.
     */
    Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Input input : inputs) {
            long offset = Math.max(input.consumed, input.committed);
            if (offset >= 0) {
                out.put(input.partition, new OffsetAndMetadata(offset));
            }
        }
        return out;
    }

    /** The consumed offsets are committed now. */
    void markCommitted() {
        for (Input input : inputs) {
            input.committed = Math.max(input.consumed, input.committed);
        }
        uncommitted = false;
    }
}
