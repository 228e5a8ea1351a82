package io.weir.clients.consumer;

import io.weir.clients.consumer.internals.ConsumerImpl;
import io.weir.clients.consumer.internals.network.NetworkConsumer;
import io.weir.clients.internals.network.NetworkClients;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.Deserializer;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads records, as Kafka's {@code KafkaConsumer} does: from partitions chosen by hand ({@link #assign}), or
 * as a member of the consumer group {@code group.id} ({@link #subscribe}), which shares the subscribed topics'
 * partitions among its members and remembers how far each got ({@link #commitSync}, {@code enable.auto.commit}).
 * A group member takes part in rebalances inside {@link #poll}, where the {@link ConsumerRebalanceListener}
 * runs; a background thread keeps its session alive between polls, but a member that does not poll within
 * {@code max.poll.interval.ms} leaves the group.
 *
 * <p>{@link #poll} returns up to {@code max.poll.records} records and keeps the rest for the next poll; the
 * broker long-polls ({@code fetch.min.bytes}, {@code fetch.max.wait.ms}), so an idle consumer waits without
 * spinning and wakes as soon as a record is appended. Before returning records, poll already sends the next
 * fetch for partitions with nothing buffered, so the broker works while the caller processes.
 *
 * <p><b>Not thread-safe</b>, like KafkaConsumer: a call while another thread is inside one fails with
 * {@link java.util.ConcurrentModificationException}. The one exception is {@link #wakeup()}, which any thread
 * may call to make a blocked (or the next) poll throw {@link io.weir.common.errors.WakeupException}.
 */
public interface Consumer<K, V> extends AutoCloseable {

    /** Deserializers come from {@code key.deserializer} and {@code value.deserializer}. */
    static <K, V> Consumer<K, V> create(Properties properties) {
        return create(ConsumerConfig.from(properties), null, null);
    }

    static <K, V> Consumer<K, V> create(
            Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return create(ConsumerConfig.from(properties), keyDeserializer, valueDeserializer);
    }

    static <K, V> Consumer<K, V> create(
            Map<String, ?> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return create(ConsumerConfig.from(configs), keyDeserializer, valueDeserializer);
    }

    static <K, V> Consumer<K, V> create(
            ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        if (NetworkClients.selects(config.bootstrapServers())) {
            return new NetworkConsumer<>(config, keyDeserializer, valueDeserializer);
        }
        return new ConsumerImpl<>(
                config, keyDeserializer, valueDeserializer, Transports.connect(config.bootstrapServers()), Time.SYSTEM);
    }

    /**
     * Replaces the manual assignment; positions of partitions that stay assigned are kept.
     *
     * @throws io.weir.common.errors.IllegalClientStateException if the consumer is subscribed
     */
    void assign(Collection<TopicPartition> partitions);

    /** The partitions the consumer reads now: assigned by hand, or given to it by its group. */
    Set<TopicPartition> assignment();

    /** The subscribed topics (for a pattern: those it matches now), empty when not subscribed. */
    Set<String> subscription();

    /**
     * Joins {@code group.id} for these topics; the group's assignor decides which partitions this member reads.
     * An empty collection is the same as {@link #unsubscribe()}.
     *
     * @throws io.weir.common.errors.InvalidGroupIdException if {@code group.id} is not set
     * @throws io.weir.common.errors.IllegalClientStateException if partitions were assigned by hand
     */
    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    default void subscribe(Collection<String> topics) {
        subscribe(topics, null);
    }

    /**
     * Subscribes to every topic (internal ones excluded) whose whole name matches {@code pattern}, now and as
     * topics are created or deleted: matches are checked every {@code metadata.max.age.ms}.
     */
    void subscribe(Pattern pattern, ConsumerRebalanceListener listener);

    default void subscribe(Pattern pattern) {
        subscribe(pattern, null);
    }

    /**
     * Ends a subscription (revoking its partitions and leaving the group) or clears a manual assignment.
     */
    void unsubscribe();

    /**
     * Makes the next {@link #poll} rejoin the group, as Kafka's {@code enforceRebalance}: for a member that learned
     * otherwise than from the group itself that its generation is over (a transactional offset commit the group
     * refused), so it rejoins at once rather than at its next heartbeat.
     *
     * @throws IllegalStateException if the consumer has no group subscription
     */
    void enforceRebalance();

    /**
     * Commits the position of every assigned partition (the offset after the last record poll returned) and
     * waits for it, up to {@code default.api.timeout.ms}.
     *
     * @throws io.weir.common.errors.CommitFailedException the group rebalanced these partitions away; it says why
     * @throws io.weir.common.errors.RebalanceInProgressException the group is rebalancing: poll, then commit again
     * @throws io.weir.common.errors.InvalidGroupIdException without {@code group.id}
     */
    void commitSync();

    void commitSync(Duration timeout);

    /**
     * Commits the given offsets (each the offset of the next record to read) and waits for it.
     *
     * @throws io.weir.common.errors.IllegalClientStateException naming a partition not assigned to this consumer
     * @throws io.weir.common.errors.CommitFailedException as {@link #commitSync()}
     */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout);

    /** Commits every assigned partition's position without waiting; failures are logged. */
    default void commitAsync() {
        commitAsync(null);
    }

    /** As {@link #commitAsync()}; {@code callback} runs on this consumer's thread in a later call. */
    void commitAsync(OffsetCommitCallback callback);

    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback);

    /** The group's committed offset per partition; null for a partition without one. */
    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions);

    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout);

    /**
     * This member's group, generation and member id, for a transactional producer's
     * {@code sendOffsetsToTransaction}.
     *
     * @throws io.weir.common.errors.InvalidGroupIdException without {@code group.id}
     */
    ConsumerGroupMetadata groupMetadata();

    /**
     * Fetches records of the assigned, unpaused partitions, waiting up to {@code timeout} for some.
     *
     * @throws io.weir.common.errors.WakeupException if {@link #wakeup()} was called before or during the poll
     * @throws io.weir.common.errors.NoOffsetForPartitionException if a partition has no position and
     *         {@code auto.offset.reset=none}
     * @throws io.weir.common.errors.OffsetOutOfRangeException if a position is outside the log and
     *         {@code auto.offset.reset=none}
     * @throws io.weir.common.errors.IllegalClientStateException if the consumer neither subscribes nor has an
     *         assignment, or is closed
     * @throws io.weir.common.errors.FencedInstanceIdException a newer consumer took this one's
     *         {@code group.instance.id}; close this one
     * @throws io.weir.common.errors.RecordDeserializationException if the next record's key or value cannot be
     *         deserialized; it names the partition and offset, and every poll fails the same way until the
     *         caller seeks past the record (records taken before it in a poll are returned first)
     * @throws io.weir.common.errors.CorruptRecordException if the fetched bytes at a position fail their CRC or
     *         cannot be read; it names the partition and offset, and repeats until the caller seeks past them
     */
    ConsumerRecords<K, V> poll(Duration timeout);

    /** The next poll of {@code partition} starts at {@code offset}. */
    void seek(TopicPartition partition, long offset);

    /** The next poll of each partition starts at its log start offset (evaluated lazily, as in Kafka). */
    void seekToBeginning(Collection<TopicPartition> partitions);

    /** The next poll of each partition starts at its end (evaluated lazily, as in Kafka). */
    void seekToEnd(Collection<TopicPartition> partitions);

    /** The offset of the next record poll will return for {@code partition}, resolving a pending reset first. */
    long position(TopicPartition partition);

    /**
     * How far {@code partition}'s position is behind its end (the last stable offset under {@code read_committed}),
     * as the last fetch answer reported it; empty while no position or no answer is known. Local, never blocks.
     */
    OptionalLong currentLag(TopicPartition partition);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    /** The log end offsets (the last stable offsets under {@code read_committed}). */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    /** Per partition, the first offset whose timestamp is at or after the given one, or null if there is none. */
    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps);

    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    Set<TopicPartition> paused();

    List<PartitionInfo> partitionsFor(String topic);

    Map<String, List<PartitionInfo>> listTopics();

    /** Thread-safe: ends a blocked poll with a WakeupException, or makes the next one throw it. */
    void wakeup();

    /**
     * Commits (with auto-commit on), gives its partitions up and leaves the group (a static member only goes
     * quiet), then releases everything, waiting at most {@code timeout} for the broker. Idempotent.
     */
    void close(Duration timeout);

    /** Closes as {@code options} say: how long to wait, and whether the member leaves its group. */
    void close(CloseOptions options);

    /** {@link #close(Duration)} with 30 seconds, Kafka's default. */
    @Override
    default void close() {
        close(Duration.ofSeconds(30));
    }
}
