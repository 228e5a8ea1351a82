package io.weir.broker.client;

import io.weir.broker.TopicPartition;
import io.weir.broker.client.internals.ConsumerImpl;
import io.weir.broker.common.Time;
import io.weir.broker.transport.Transports;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads records from assigned partitions, as Kafka's {@code KafkaConsumer} does with manual assignment.
 * Consumer groups ({@code subscribe}, committed offsets) are a later issue; {@link #subscribe} says so.
 *
 * <p>{@link #poll} returns up to {@code max.poll.records} records and keeps the rest for the next poll; the
 * broker long-polls ({@code fetch.min.bytes}, {@code fetch.max.wait.ms}), so an idle consumer waits without
 * spinning and wakes as soon as a record is appended. Before returning records, poll already sends the next
 * fetch for partitions with nothing buffered, so the broker works while the caller processes.
 *
 * <p><b>Not thread-safe</b>, like KafkaConsumer: a call while another thread is inside one fails with
 * {@link java.util.ConcurrentModificationException}. The one exception is {@link #wakeup()}, which any thread
 * may call to make a blocked (or the next) poll throw {@link io.weir.broker.errors.WakeupException}.
 */
public interface Consumer<K, V> extends AutoCloseable {

    /** Deserializers come from {@code key.deserializer} and {@code value.deserializer}. */
    static <K, V> Consumer<K, V> create(Properties properties) {
        return create(ConsumerConfig.from(properties), null, null);
    }

    static <K, V> Consumer<K, V> create(Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return create(ConsumerConfig.from(properties), keyDeserializer, valueDeserializer);
    }

    static <K, V> Consumer<K, V> create(Map<String, ?> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return create(ConsumerConfig.from(configs), keyDeserializer, valueDeserializer);
    }

    static <K, V> Consumer<K, V> create(ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new ConsumerImpl<>(config, keyDeserializer, valueDeserializer, Transports.connect(config.bootstrapServers()), Time.SYSTEM);
    }

    /** Replaces the assignment; positions of partitions that stay assigned are kept. */
    void assign(Collection<TopicPartition> partitions);

    Set<TopicPartition> assignment();

    /** Consumer groups are not built yet: always throws {@link UnsupportedOperationException}; use {@link #assign}. */
    void subscribe(Collection<String> topics);

    /** Clears the assignment. */
    void unsubscribe();

    /**
     * Fetches records of the assigned, unpaused partitions, waiting up to {@code timeout} for some.
     *
     * @throws io.weir.broker.errors.WakeupException if {@link #wakeup()} was called before or during the poll
     * @throws io.weir.broker.errors.NoOffsetForPartitionException if a partition has no position and
     *         {@code auto.offset.reset=none}
     * @throws io.weir.broker.errors.OffsetOutOfRangeException if a position is outside the log and
     *         {@code auto.offset.reset=none}
     * @throws io.weir.broker.errors.IllegalClientStateException if nothing is assigned or the consumer is closed
     * @throws io.weir.broker.errors.RecordDeserializationException if the next record's key or value cannot be
     *         deserialized; it names the partition and offset, and every poll fails the same way until the
     *         caller seeks past the record (records taken before it in a poll are returned first)
     * @throws io.weir.broker.errors.CorruptRecordException if the fetched bytes at a position fail their CRC or
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

    @Override
    void close();
}
