package io.weir.clients.producer.internals.network;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.internals.network.ConsumerConvert;
import io.weir.clients.internals.Plugins;
import io.weir.clients.internals.network.Convert;
import io.weir.clients.internals.network.KafkaConfigs;
import io.weir.clients.internals.network.KafkaErrors;
import io.weir.clients.internals.network.KafkaSerdes;
import io.weir.clients.producer.Callback;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.FencedInstanceIdException;
import io.weir.common.serialization.Serializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Weir's {@link Producer} over the network: kafka-clients' {@link KafkaProducer} does the work (batching,
 * idempotence, transactions), and this class translates at the edge — records, headers and metadata by
 * {@link Convert}, Weir serializers by {@link KafkaSerdes}, exceptions (thrown, in futures and in callbacks) by
 * {@link KafkaErrors}. Thread-safe, as KafkaProducer is; callbacks run on Kafka's sender thread, in order per
 * partition, as Weir's do.
 */
public final class NetworkProducer<K, V> implements Producer<K, V> {
    private final KafkaProducer<K, V> kafka;

    public NetworkProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        Serializer<K> keys = keySerializer != null ? keySerializer : configured(config, true);
        Serializer<V> values = valueSerializer != null ? valueSerializer : configured(config, false);
        Map<String, Object> props = null;
        try {
            props = ProducerKafkaConfig.producer(config);
            this.kafka = new KafkaProducer<>(props, KafkaSerdes.kafka(keys, "key"), KafkaSerdes.kafka(values, "value"));
        } catch (RuntimeException e) {
            RuntimeException translated = KafkaErrors.translate(e);
            KafkaConfigs.closeAfterFailure(translated, props, keys, values);
            throw translated;
        }
    }

    private static <T> Serializer<T> configured(ProducerConfig config, boolean isKey) {
        String key = isKey ? ProducerConfig.KEY_SERIALIZER : ProducerConfig.VALUE_SERIALIZER;
        Serializer<T> serializer = Plugins.instantiate(
                isKey ? config.keySerializer() : config.valueSerializer(), key, "pass a serializer to Producer.create");
        serializer.configure(config.originals(), isKey);
        return serializer;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        org.apache.kafka.clients.producer.ProducerRecord<K, V> kafkaRecord =
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                        record.topic(),
                        record.partition(),
                        record.timestamp(),
                        record.key(),
                        record.value(),
                        Convert.kafkaHeaders(record.headers()));
        org.apache.kafka.clients.producer.Callback kafkaCallback = callback == null
                ? null
                : (metadata, exception) -> callback.onCompletion(
                        exception == null ? metadata(metadata) : null,
                        exception == null ? null : KafkaErrors.translateProducer(exception));
        try {
            return new MetadataFuture(kafka.send(kafkaRecord, kafkaCallback));
        } catch (RuntimeException e) {
            throw KafkaErrors.translateProducer(e);
        }
    }

    /** Runs a producer call, translating what it throws as {@link KafkaErrors#translateProducer} does. */
    private static void guard(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw KafkaErrors.translateProducer(e);
        }
    }

    @Override
    public void initTransactions() {
        guard(kafka::initTransactions);
    }

    @Override
    public void beginTransaction() {
        guard(kafka::beginTransaction);
    }

    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        try {
            guard(() -> kafka.sendOffsetsToTransaction(
                    Convert.toKafka(offsets, ConsumerConvert::kafka), ConsumerConvert.kafka(groupMetadata)));
        } catch (FencedInstanceIdException e) {
            // Weir's producer reports offsets of a replaced static member as the commit failing (the transaction
            // can only be aborted), as it reports a stale generation; Kafka's throws FencedInstanceIdException.
            throw new CommitFailedException(
                    "Offsets of group " + groupMetadata.groupId() + " were refused for the transaction: "
                            + e.getMessage() + "; the member was fenced by a newer one with its group.instance.id: "
                            + "abort the transaction and close the consumer",
                    e);
        }
    }

    @Override
    public void commitTransaction() {
        guard(kafka::commitTransaction);
    }

    @Override
    public void abortTransaction() {
        guard(kafka::abortTransaction);
    }

    @Override
    public void flush() {
        guard(kafka::flush);
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return KafkaErrors.call(() -> Convert.weir(kafka.partitionsFor(topic)));
    }

    @Override
    public void close() {
        KafkaErrors.run(kafka::close);
    }

    @Override
    public void close(Duration timeout) {
        KafkaErrors.run(() -> kafka.close(timeout));
    }

    private static RecordMetadata metadata(org.apache.kafka.clients.producer.RecordMetadata m) {
        return new RecordMetadata(
                new TopicPartition(m.topic(), m.partition()),
                m.hasOffset() ? m.offset() : -1,
                m.timestamp(),
                m.serializedKeySize(),
                m.serializedValueSize());
    }

    /** Kafka's future of one send, answering Weir's metadata and failing with Weir's exception as cause. */
    private record MetadataFuture(Future<org.apache.kafka.clients.producer.RecordMetadata> kafka)
            implements Future<RecordMetadata> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return kafka.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return kafka.isCancelled();
        }

        @Override
        public boolean isDone() {
            return kafka.isDone();
        }

        @Override
        public RecordMetadata get() throws InterruptedException, ExecutionException {
            try {
                return metadata(kafka.get());
            } catch (ExecutionException e) {
                throw new ExecutionException(KafkaErrors.translateProducer(e.getCause()));
            }
        }

        @Override
        public RecordMetadata get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
            try {
                return metadata(kafka.get(timeout, unit));
            } catch (ExecutionException e) {
                throw new ExecutionException(KafkaErrors.translateProducer(e.getCause()));
            }
        }
    }
}
