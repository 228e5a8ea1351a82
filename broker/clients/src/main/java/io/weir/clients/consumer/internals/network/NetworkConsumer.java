package io.weir.clients.consumer.internals.network;

import io.weir.clients.consumer.CloseOptions;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.OffsetAndTimestamp;
import io.weir.clients.consumer.OffsetCommitCallback;
import io.weir.clients.internals.Plugins;
import io.weir.clients.internals.network.Convert;
import io.weir.clients.internals.network.KafkaConfigs;
import io.weir.clients.internals.network.KafkaErrors;
import io.weir.clients.internals.network.KafkaSerdes;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InterruptException;
import io.weir.common.errors.WakeupException;
import io.weir.common.serialization.Deserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Weir's {@link Consumer} over the network: kafka-clients' {@link KafkaConsumer} (classic group protocol) does the
 * work, and this class translates at the edge — partitions, offsets, records and group metadata by {@link Convert},
 * Weir deserializers by {@link KafkaSerdes}, rebalance listeners and commit callbacks by small adapters that run
 * the Weir callback on the consumer's thread inside poll (as both consumers do), exceptions by {@link KafkaErrors}.
 *
 * <p>Not thread-safe, as neither consumer is; {@link #wakeup()} may be called from any thread.
 */
public final class NetworkConsumer<K, V> implements Consumer<K, V> {
    private static final ConsumerRebalanceListener NO_LISTENER = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    };

    private final KafkaConsumer<K, V> kafka;

    public NetworkConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        Deserializer<K> keys = keyDeserializer != null ? keyDeserializer : configured(config, true);
        Deserializer<V> values = valueDeserializer != null ? valueDeserializer : configured(config, false);
        Map<String, Object> props = null;
        try {
            props = ConsumerKafkaConfig.consumer(config);
            this.kafka = new KafkaConsumer<>(props, KafkaSerdes.kafka(keys), KafkaSerdes.kafka(values));
        } catch (RuntimeException e) {
            RuntimeException translated = KafkaErrors.translate(e);
            KafkaConfigs.closeAfterFailure(translated, props, keys, values);
            throw translated;
        }
    }

    private static <T> Deserializer<T> configured(ConsumerConfig config, boolean isKey) {
        String key = isKey ? ConsumerConfig.KEY_DESERIALIZER : ConsumerConfig.VALUE_DESERIALIZER;
        Deserializer<T> deserializer = Plugins.instantiate(
                isKey ? config.keyDeserializer() : config.valueDeserializer(),
                key,
                "pass a deserializer to Consumer.create");
        deserializer.configure(config.originals(), isKey);
        return deserializer;
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        KafkaErrors.run(() -> kafka.assign(Convert.kafka(partitions)));
    }

    @Override
    public Set<TopicPartition> assignment() {
        return KafkaErrors.call(() -> Convert.weir(kafka.assignment()));
    }

    @Override
    public Set<String> subscription() {
        return KafkaErrors.call(kafka::subscription);
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        KafkaErrors.run(() -> kafka.subscribe(topics, listener(listener)));
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        KafkaErrors.run(() -> kafka.subscribe(pattern, listener(listener)));
    }

    private static org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener(
            ConsumerRebalanceListener weir) {
        ConsumerRebalanceListener target = weir != null ? weir : NO_LISTENER;
        return new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                asKafkas(() -> target.onPartitionsRevoked(Convert.weir(partitions)));
            }

            @Override
            public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                asKafkas(() -> target.onPartitionsAssigned(Convert.weir(partitions)));
            }

            @Override
            public void onPartitionsLost(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                asKafkas(() -> target.onPartitionsLost(Convert.weir(partitions)));
            }
        };
    }

    /**
     * Runs a Weir rebalance listener, rethrowing its {@link WakeupException} and {@link InterruptException} as
     * Kafka's: Kafka's consumer lets only its own types of these escape a listener as themselves (it wraps anything
     * else as the callback's failure), with the Weir exception kept as the cause.
     */
    private static void asKafkas(Runnable listener) {
        try {
            listener.run();
        } catch (WakeupException e) {
            var kafka = new org.apache.kafka.common.errors.WakeupException();
            kafka.initCause(e);
            throw kafka;
        } catch (InterruptException e) {
            InterruptedException interrupted = new InterruptedException(e.getMessage());
            interrupted.initCause(e);
            throw new org.apache.kafka.common.errors.InterruptException(e.getMessage(), interrupted);
        }
    }

    @Override
    public void unsubscribe() {
        KafkaErrors.run(kafka::unsubscribe);
    }

    @Override
    public void commitSync() {
        KafkaErrors.run(() -> kafka.commitSync());
    }

    @Override
    public void commitSync(Duration timeout) {
        KafkaErrors.run(() -> kafka.commitSync(timeout));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        KafkaErrors.run(() -> kafka.commitSync(Convert.toKafka(offsets, ConsumerConvert::kafka)));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        KafkaErrors.run(() -> kafka.commitSync(Convert.toKafka(offsets, ConsumerConvert::kafka), timeout));
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        KafkaErrors.run(() -> kafka.commitAsync(callback(callback)));
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        KafkaErrors.run(() -> kafka.commitAsync(Convert.toKafka(offsets, ConsumerConvert::kafka), callback(callback)));
    }

    private static org.apache.kafka.clients.consumer.OffsetCommitCallback callback(OffsetCommitCallback weir) {
        if (weir == null) {
            return null;
        }
        return (offsets, exception) -> weir.onComplete(
                offsets == null ? null : Convert.toWeir(offsets, ConsumerConvert::weir),
                exception == null ? null : KafkaErrors.translate(exception));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return everyPartition(
                partitions, KafkaErrors.call(() -> kafka.committed(Set.copyOf(Convert.kafka(partitions)))));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        return everyPartition(
                partitions, KafkaErrors.call(() -> kafka.committed(Set.copyOf(Convert.kafka(partitions)), timeout)));
    }

    /** Weir's answer names every partition asked about, null for one without a committed offset. */
    private static Map<TopicPartition, OffsetAndMetadata> everyPartition(
            Set<TopicPartition> partitions,
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> kafka) {
        Map<TopicPartition, OffsetAndMetadata> out = Convert.toWeir(kafka, ConsumerConvert::weir);
        partitions.forEach(tp -> out.putIfAbsent(tp, null));
        return out;
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return KafkaErrors.call(() -> ConsumerConvert.weir(kafka.groupMetadata()));
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        org.apache.kafka.clients.consumer.ConsumerRecords<K, V> polled = KafkaErrors.call(() -> kafka.poll(timeout));
        if (polled.isEmpty()) {
            return ConsumerRecords.empty();
        }
        Map<TopicPartition, List<ConsumerRecord<K, V>>> records = new HashMap<>();
        for (org.apache.kafka.common.TopicPartition tp : polled.partitions()) {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<K, V>> list = polled.records(tp);
            List<ConsumerRecord<K, V>> converted = new ArrayList<>(list.size());
            list.forEach(r -> converted.add(ConsumerConvert.weir(r)));
            records.put(Convert.weir(tp), converted);
        }
        return new ConsumerRecords<>(records);
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        KafkaErrors.run(() -> kafka.seek(Convert.kafka(partition), offset));
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        KafkaErrors.run(() -> kafka.seekToBeginning(Convert.kafka(partitions)));
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        KafkaErrors.run(() -> kafka.seekToEnd(Convert.kafka(partitions)));
    }

    @Override
    public long position(TopicPartition partition) {
        return KafkaErrors.call(() -> kafka.position(Convert.kafka(partition)));
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        return KafkaErrors.call(() -> kafka.currentLag(Convert.kafka(partition)));
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return KafkaErrors.call(() -> Convert.toWeir(kafka.beginningOffsets(Convert.kafka(partitions)), o -> o));
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return KafkaErrors.call(() -> Convert.toWeir(kafka.endOffsets(Convert.kafka(partitions)), o -> o));
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        return KafkaErrors.call(() -> Convert.toWeir(
                kafka.offsetsForTimes(Convert.toKafka(timestamps, t -> t)),
                o -> new OffsetAndTimestamp(o.offset(), o.timestamp())));
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        KafkaErrors.run(() -> kafka.pause(Convert.kafka(partitions)));
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        KafkaErrors.run(() -> kafka.resume(Convert.kafka(partitions)));
    }

    @Override
    public Set<TopicPartition> paused() {
        return KafkaErrors.call(() -> Convert.weir(kafka.paused()));
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return KafkaErrors.call(() -> Convert.weir(kafka.partitionsFor(topic)));
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        Map<String, List<PartitionInfo>> out = new HashMap<>();
        KafkaErrors.call(kafka::listTopics).forEach((topic, partitions) -> out.put(topic, Convert.weir(partitions)));
        return out;
    }

    @Override
    public void wakeup() {
        kafka.wakeup();
    }

    @Override
    public void enforceRebalance() {
        KafkaErrors.run(kafka::enforceRebalance);
    }

    @Override
    public void close(Duration timeout) {
        close(CloseOptions.timeout(timeout));
    }

    @Override
    public void close(CloseOptions options) {
        KafkaErrors.run(() -> kafka.close(org.apache.kafka.clients.consumer.CloseOptions.groupMembershipOperation(
                        org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.valueOf(
                                options.operation().name()))
                .withTimeout(options.timeoutDuration())));
    }
}
