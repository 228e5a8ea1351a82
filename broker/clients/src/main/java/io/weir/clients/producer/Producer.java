package io.weir.clients.producer;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.network.NetworkClients;
import io.weir.clients.producer.internals.ProducerImpl;
import io.weir.clients.producer.internals.network.NetworkProducer;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.Serializer;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Sends records to a broker, as Kafka's {@code KafkaProducer} does: {@code send} serializes the record,
 * picks its partition and appends it to that partition's open batch, then returns; a sender thread ships
 * ready batches (full, lingered past {@code linger.ms}, or flushed) in produce requests and completes the
 * futures and callbacks.
 *
 * <p>Thread-safe: many threads may share one producer, and that is usually faster than one producer per
 * thread. Callbacks run on the sender thread, in order for the records of one partition.
 *
 * <p>Failures the producer can see before buffering the record — a record larger than
 * {@code max.request.size} or the topic's {@code max.message.bytes}
 * ({@link io.weir.common.errors.RecordTooLargeException} naming both sizes), a partition the topic does not
 * have, an invalid topic name, metadata or buffer space not available within {@code max.block.ms}
 * ({@link io.weir.common.errors.TimeoutException}) — complete the returned future exceptionally and are
 * passed to the callback, as Kafka does. {@code send} itself throws only for a closed producer
 * ({@link io.weir.common.errors.IllegalClientStateException}), a serializer failure
 * ({@link io.weir.common.errors.SerializationException}) or an interrupt.
 *
 * <p>Idempotence and transactions follow Kafka: with {@code enable.idempotence} (the default with
 * {@code acks=all}) every batch carries the producer id, epoch and a per-partition sequence, so retries
 * never duplicate or reorder records; with a {@code transactional.id} the producer writes atomically to
 * many partitions ({@link #initTransactions()}, {@link #beginTransaction()}, {@link #commitTransaction()}).
 */
public interface Producer<K, V> extends AutoCloseable {

    /**
     * A producer configured by Kafka's string keys; serializers come from {@code key.serializer} and
     * {@code value.serializer}.
     */
    static <K, V> Producer<K, V> create(Properties properties) {
        return create(ProducerConfig.from(properties), null, null);
    }

    static <K, V> Producer<K, V> create(
            Properties properties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return create(ProducerConfig.from(properties), keySerializer, valueSerializer);
    }

    static <K, V> Producer<K, V> create(
            Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return create(ProducerConfig.from(configs), keySerializer, valueSerializer);
    }

    /**
     * @param keySerializer null to instantiate {@link ProducerConfig#keySerializer()}
     * @throws io.weir.common.errors.InvalidConfigurationException if a serializer is neither given nor configured
     */
    static <K, V> Producer<K, V> create(
            ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        if (NetworkClients.selects(config.bootstrapServers())) {
            return new NetworkProducer<>(config, keySerializer, valueSerializer);
        }
        return new ProducerImpl<>(
                config, keySerializer, valueSerializer, Transports.connect(config.bootstrapServers()), Time.SYSTEM);
    }

    /** Sends with no callback; see {@link #send(ProducerRecord, Callback)}. */
    Future<RecordMetadata> send(ProducerRecord<K, V> record);

    /**
     * Buffers {@code record} for sending and returns at once, unless metadata for its topic or buffer space
     * is not available, in which case it blocks up to {@code max.block.ms}.
     *
     * @param callback told on the sender thread when the record is acknowledged or failed; may be null
     * @return the record's future {@link RecordMetadata}
     * @throws io.weir.common.errors.IllegalClientStateException if the producer is closed; for a transactional
     *         producer also outside a transaction, or once the transaction can only be aborted
     * @throws io.weir.common.errors.ProducerFencedException if a newer instance with the same
     *         {@code transactional.id} took over; close this one
     * @throws io.weir.common.errors.SerializationException if the key or value cannot be serialized
     */
    Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /**
     * Registers the {@code transactional.id} with the transaction coordinator: gets the producer id, bumps
     * the epoch (fencing any older producer with the same id) and waits until whatever transaction an older
     * instance left open is completed or aborted. Call once, before any other transactional method.
     *
     * @throws io.weir.common.errors.IllegalClientStateException if no {@code transactional.id} is configured
     * @throws io.weir.common.errors.InvalidTxnTimeoutException if {@code transaction.timeout.ms} is above the
     *         broker's {@code transaction.max.timeout.ms}
     * @throws io.weir.common.errors.TimeoutException if it did not finish within {@code max.block.ms}; it
     *         may be called again
     */
    void initTransactions();

    /**
     * Starts a transaction: every record sent until {@link #commitTransaction()} or {@link #abortTransaction()}
     * belongs to it. Local; nothing is sent until the first record.
     *
     * @throws io.weir.common.errors.IllegalClientStateException if {@link #initTransactions()} was not called
     *         or a transaction is already open
     */
    void beginTransaction();

    /**
     * Commits the consumer's positions as part of the open transaction: they become the group's committed
     * offsets when, and only when, the transaction commits. {@code groupMetadata} comes from the consumer's
     * {@link Consumer#groupMetadata()}, so that a member fenced by a rebalance cannot commit.
     *
     * @throws io.weir.common.errors.IllegalClientStateException if no transaction is open
     * @throws io.weir.common.errors.CommitFailedException if the group has moved on to a newer generation
     */
    void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata);

    /**
     * Sends everything buffered, then commits the transaction; blocks until the commit is decided.
     *
     * @throws io.weir.common.errors.ProducerFencedException if a newer instance took over; close this one
     * @throws io.weir.common.errors.IllegalClientStateException if no transaction is open, or an earlier error
     *         means the transaction can only be aborted
     */
    void commitTransaction();

    /**
     * Drops the records not yet sent (their futures fail with
     * {@link io.weir.common.errors.TransactionAbortedException}), waits for those in flight, and aborts the
     * transaction, so no read_committed consumer ever sees its records.
     *
     * @throws io.weir.common.errors.ProducerFencedException if a newer instance took over; close this one
     */
    void abortTransaction();

    /** Makes every buffered record sendable at once and blocks until all sent before this call have completed. */
    void flush();

    /** The topic's partitions, fetching metadata (up to {@code max.block.ms}) if needed. */
    List<PartitionInfo> partitionsFor(String topic);

    /** Sends everything buffered and waits for it; equivalent to {@code close(Duration.ofMillis(Long.MAX_VALUE))}. */
    @Override
    void close();

    /**
     * Stops accepting records, sends what is buffered, and waits up to {@code timeout} for it; whatever is
     * still unsent then fails with an {@link io.weir.common.errors.IllegalClientStateException}. Idempotent.
     */
    void close(Duration timeout);
}
