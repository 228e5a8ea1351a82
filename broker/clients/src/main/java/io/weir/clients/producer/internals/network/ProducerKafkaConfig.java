package io.weir.clients.producer.internals.network;

import io.weir.clients.internals.Plugins;
import io.weir.clients.internals.network.KafkaConfigs;
import io.weir.clients.producer.DefaultPartitioner;
import io.weir.clients.producer.Partitioner;
import io.weir.clients.producer.ProducerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Weir {@link ProducerConfig} as kafka-clients' producer properties (see {@link KafkaConfigs}). A Weir
 * partitioner other than the default (which is Kafka's own algorithm) becomes a {@link PartitionerAdapter} handed
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
        if (c.partitionerClass() != null && c.partitionerClass() != DefaultPartitioner.class) {
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
}
