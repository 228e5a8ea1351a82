package io.weir.broker.client;

import io.weir.broker.client.internals.ProducerImpl;
import io.weir.broker.common.Time;
import io.weir.broker.transport.Transports;
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
 * ({@link io.weir.broker.errors.RecordTooLargeException} naming both sizes), a partition the topic does not
 * have, an invalid topic name, metadata or buffer space not available within {@code max.block.ms}
 * ({@link io.weir.broker.errors.TimeoutException}) — complete the returned future exceptionally and are
 * passed to the callback, as Kafka does. {@code send} itself throws only for a closed producer
 * ({@link io.weir.broker.errors.IllegalClientStateException}), a serializer failure
 * ({@link io.weir.broker.errors.SerializationException}) or an interrupt.
 *
 * <p>Idempotence and transactions are not built yet: {@code enable.idempotence} defaults to {@code false}
 * here (Kafka's default is {@code true}), and {@code true} or a {@code transactional.id} is refused.
 */
public interface Producer<K, V> extends AutoCloseable {

    /**
     * A producer configured by Kafka's string keys; serializers come from {@code key.serializer} and
     * {@code value.serializer}.
     */
    static <K, V> Producer<K, V> create(Properties properties) {
        return create(ProducerConfig.from(properties), null, null);
    }

    static <K, V> Producer<K, V> create(Properties properties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return create(ProducerConfig.from(properties), keySerializer, valueSerializer);
    }

    static <K, V> Producer<K, V> create(Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return create(ProducerConfig.from(configs), keySerializer, valueSerializer);
    }

    /**
     * @param keySerializer null to instantiate {@link ProducerConfig#keySerializer()}
     * @throws io.weir.broker.errors.InvalidConfigurationException if a serializer is neither given nor configured
     */
    static <K, V> Producer<K, V> create(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new ProducerImpl<>(config, keySerializer, valueSerializer,
                Transports.connect(config.bootstrapServers()), Time.SYSTEM);
    }

    /** Sends with no callback; see {@link #send(ProducerRecord, Callback)}. */
    Future<RecordMetadata> send(ProducerRecord<K, V> record);

    /**
     * Buffers {@code record} for sending and returns at once, unless metadata for its topic or buffer space
     * is not available, in which case it blocks up to {@code max.block.ms}.
     *
     * @param callback told on the sender thread when the record is acknowledged or failed; may be null
     * @return the record's future {@link RecordMetadata}
     * @throws io.weir.broker.errors.IllegalClientStateException if the producer is closed
     * @throws io.weir.broker.errors.SerializationException if the key or value cannot be serialized
     */
    Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /** Makes every buffered record sendable at once and blocks until all sent before this call have completed. */
    void flush();

    /** The topic's partitions, fetching metadata (up to {@code max.block.ms}) if needed. */
    List<PartitionInfo> partitionsFor(String topic);

    /** Sends everything buffered and waits for it; equivalent to {@code close(Duration.ofMillis(Long.MAX_VALUE))}. */
    @Override
    void close();

    /**
     * Stops accepting records, sends what is buffered, and waits up to {@code timeout} for it; whatever is
     * still unsent then fails with an {@link io.weir.broker.errors.IllegalClientStateException}. Idempotent.
     */
    void close(Duration timeout);
}
