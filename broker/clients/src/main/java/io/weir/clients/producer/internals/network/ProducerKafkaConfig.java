package io.weir.clients.producer.internals.network;

import io.weir.clients.internals.Plugins;
import io.weir.clients.internals.network.KafkaConfigs;
import io.weir.clients.producer.DefaultPartitioner;
import io.weir.clients.producer.Partitioner;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.UniformStickyPartitioner;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Weir {@link ProducerConfig} as kafka-clients' producer properties (see {@link KafkaConfigs}). Weir's default
 * and uniform sticky partitioners become Kafka's built-in one (the same algorithms, the latter with
 * {@code partitioner.ignore.keys}); any other Weir partitioner (refused if it needs {@code onNewBatch}) becomes a {@link PartitionerAdapter} handed
 * the configured Weir instance; serializers are passed to Kafka as adapted instances, never by name. Stateless.
 */
final class ProducerKafkaConfig {
    private ProducerKafkaConfig() {}

    static Map<String, Object> producer(ProducerConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", KafkaConfigs.servers(c.bootstrapServers()));
        p.put("client.id", c.clientId());
        p.put("acks", c.acks().configName());
        p.put("linger.ms", c.lingerMs());
        p.put("batch.size", c.batchSize());
        p.put("buffer.memory", c.bufferMemory());
        p.put("max.block.ms", c.maxBlockMs());
        p.put("compression.type", c.compressionType().configName());
        p.put("retries", c.retries());
        p.put("retry.backoff.ms", c.retryBackoffMs());
        p.put("delivery.timeout.ms", c.deliveryTimeoutMs());
        p.put("request.timeout.ms", c.requestTimeoutMs());
        p.put("max.in.flight.requests.per.connection", c.maxInFlightRequestsPerConnection());
        p.put("max.request.size", c.maxRequestSize());
        p.put("metadata.max.age.ms", c.metadataMaxAgeMs());
        p.put("enable.idempotence", c.enableIdempotence());
        if (c.transactionalId() != null) {
            p.put("transactional.id", c.transactionalId());
        }
        p.put("transaction.timeout.ms", c.transactionTimeoutMs());
        if (c.partitionerClass() == UniformStickyPartitioner.class) {
            // Kafka's built-in partitioner, keys ignored, is the same algorithm; a Kafka Partitioner has no
            // onNewBatch, so the Weir class through the adapter would stick to one partition forever.
            p.put("partitioner.ignore.keys", true);
        } else if (c.partitionerClass() != null && c.partitionerClass() != DefaultPartitioner.class) {
            refuseOnNewBatch(c.partitionerClass());
            Partitioner partitioner = Plugins.instantiate(c.partitionerClass(), "partitioner.class", "name a class");
            partitioner.configure(c.originals());
            p.put("partitioner.class", PartitionerAdapter.class);
            p.put(PartitionerAdapter.INSTANCE_CONFIG, partitioner);
        }
        KafkaConfigs.passThrough(
                c.originals(),
                org.apache.kafka.clients.producer.ProducerConfig.configNames(),
                Set.of("key.serializer", "value.serializer", "partitioner.class"),
                p);
        return p;
    }

    /**
     * Kafka 4's {@code Partitioner} has no {@code onNewBatch}, so a Weir partitioner that moves on there would never
     * move over the network: refused rather than silently sending everything to one partition.
     */
    private static void refuseOnNewBatch(Class<?> partitionerClass) {
        try {
            Class<?> declaring = partitionerClass
                    .getMethod("onNewBatch", String.class, int.class, int.class)
                    .getDeclaringClass();
            if (declaring != Partitioner.class) {
                throw new InvalidConfigurationException("partitioner.class " + partitionerClass.getName()
                        + " overrides onNewBatch, which kafka-clients' producer never calls (Kafka 4's Partitioner "
                        + "has no such method), so over the network it would stick to one partition; use "
                        + "UniformStickyPartitioner (Kafka's built-in, keys ignored) or a partitioner that needs no "
                        + "onNewBatch");
            }
        } catch (NoSuchMethodException impossible) {
            throw new IllegalStateException("Partitioner declares onNewBatch", impossible);
        }
    }
}
