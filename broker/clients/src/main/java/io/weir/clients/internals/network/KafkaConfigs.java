package io.weir.clients.internals.network;

import io.weir.clients.admin.AdminConfig;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.clients.consumer.RoundRobinAssignor;
import io.weir.clients.consumer.StickyAssignor;
import io.weir.clients.consumer.internals.Assignors;
import io.weir.clients.internals.Plugins;
import io.weir.clients.producer.DefaultPartitioner;
import io.weir.clients.producer.Partitioner;
import io.weir.clients.producer.ProducerConfig;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Builds a Kafka client's properties from a Weir client's config. Weir's keys are Kafka's, so this is a copy:
 * first every value Weir parsed (a config from a builder has no originals), under its Kafka key; then every other
 * key the user gave that the Kafka client knows (a Kafka-only key such as {@code socket.connection.setup.timeout.ms}
 * passes straight through); keys neither knows are dropped, so Kafka logs no unknown-key warnings for Weir-only
 * settings. Serializers are never passed by name: the network clients hand Kafka adapted instances.
 *
 * <p>Plugins that are Weir classes are mapped here: Weir's built-in assignors become Kafka's built-in classes of the
 * same name and algorithm (so Weir and Kafka consumers can share a group); any other Weir assignor becomes an
 * {@link AssignorAdapter}, and a Weir partitioner other than the default a {@link PartitionerAdapter}, each handed
 * its configured Weir instance through one config key. Stateless and thread-safe.
 */
final class KafkaConfigs {
    private static final Map<Class<?>, String> KAFKA_ASSIGNORS = Map.of(
            RangeAssignor.class, org.apache.kafka.clients.consumer.RangeAssignor.class.getName(),
            RoundRobinAssignor.class, org.apache.kafka.clients.consumer.RoundRobinAssignor.class.getName(),
            StickyAssignor.class, org.apache.kafka.clients.consumer.StickyAssignor.class.getName(),
            CooperativeStickyAssignor.class,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());

    private KafkaConfigs() {}

    static Map<String, Object> producer(ProducerConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", String.join(",", c.bootstrapServers()));
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
        passThrough(
                c.originals(),
                org.apache.kafka.clients.producer.ProducerConfig.configNames(),
                Set.of("key.serializer", "value.serializer", "partitioner.class"),
                p);
        return p;
    }

    static Map<String, Object> consumer(ConsumerConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", String.join(",", c.bootstrapServers()));
        p.put("client.id", c.clientId());
        if (c.groupId() != null) {
            p.put("group.id", c.groupId());
        }
        p.put("auto.offset.reset", c.autoOffsetReset().configName());
        p.put("isolation.level", c.isolationLevel().configName());
        p.put("max.poll.records", c.maxPollRecords());
        p.put("fetch.min.bytes", c.fetchMinBytes());
        p.put("fetch.max.wait.ms", c.fetchMaxWaitMs());
        p.put("fetch.max.bytes", c.fetchMaxBytes());
        p.put("max.partition.fetch.bytes", c.maxPartitionFetchBytes());
        p.put("request.timeout.ms", c.requestTimeoutMs());
        p.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, c.defaultApiTimeoutMs()));
        p.put("retry.backoff.ms", c.retryBackoffMs());
        p.put("metadata.max.age.ms", c.metadataMaxAgeMs());
        p.put("check.crcs", c.checkCrcs());
        ConsumerConfig.GroupOptions g = c.group();
        if (g.groupInstanceId() != null) {
            p.put("group.instance.id", g.groupInstanceId());
        }
        // Weir's assignors, rebalance listeners and eager/cooperative protocols are the classic group protocol's.
        p.put("group.protocol", "classic");
        p.put("session.timeout.ms", g.sessionTimeoutMs());
        p.put("heartbeat.interval.ms", g.heartbeatIntervalMs());
        p.put("max.poll.interval.ms", g.maxPollIntervalMs());
        p.put("enable.auto.commit", g.enableAutoCommit());
        p.put("auto.commit.interval.ms", (int) Math.min(Integer.MAX_VALUE, g.autoCommitIntervalMs()));
        p.put("exclude.internal.topics", g.excludeInternalTopics());
        p.put("partition.assignment.strategy", assignors(c, p));
        passThrough(
                c.originals(),
                org.apache.kafka.clients.consumer.ConsumerConfig.configNames(),
                Set.of("key.deserializer", "value.deserializer", "partition.assignment.strategy"),
                p);
        return p;
    }

    static Map<String, Object> admin(AdminConfig c, Map<String, Object> originals) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", String.join(",", c.bootstrapServers()));
        p.put("client.id", c.clientId());
        p.put("request.timeout.ms", c.requestTimeoutMs());
        // Kafka refuses a default.api.timeout.ms below request.timeout.ms; its default (60 s) may be.
        p.put("default.api.timeout.ms", Math.max(60_000, c.requestTimeoutMs()));
        passThrough(originals, AdminClientConfig.configNames(), Set.of(), p);
        return p;
    }

    /**
     * Kafka class names for the configured strategies, in order; the one non-built-in Weir assignor is
     * configured here, as Weir's consumer would configure it, and handed to the adapter in {@code props}.
     */
    private static List<Object> assignors(ConsumerConfig c, Map<String, Object> props) {
        List<Object> kafka = new ArrayList<>();
        for (ConsumerPartitionAssignor assignor : Assignors.forNames(c.group().assignmentStrategies())) {
            String builtIn = KAFKA_ASSIGNORS.get(assignor.getClass());
            if (builtIn != null) {
                kafka.add(builtIn);
                continue;
            }
            if (props.containsKey(AssignorAdapter.INSTANCE_CONFIG)) {
                throw new InvalidConfigurationException("Invalid partition.assignment.strategy="
                        + c.group().assignmentStrategies() + ": over the network (bootstrap.servers=host:port) a "
                        + "consumer supports Kafka's built-in strategies and at most one other assignor");
            }
            assignor.configure(c.originals());
            props.put(AssignorAdapter.INSTANCE_CONFIG, assignor);
            kafka.add(AssignorAdapter.class.getName());
        }
        return kafka;
    }

    private static void passThrough(
            Map<String, Object> originals, Set<String> kafkaKeys, Set<String> mappedHere, Map<String, Object> props) {
        originals.forEach((key, value) -> {
            if (kafkaKeys.contains(key) && !mappedHere.contains(key) && !props.containsKey(key) && value != null) {
                props.put(key, value);
            }
        });
    }
}
