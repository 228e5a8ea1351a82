package io.weir.clients.consumer.internals.network;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.clients.consumer.RoundRobinAssignor;
import io.weir.clients.consumer.StickyAssignor;
import io.weir.clients.consumer.internals.Assignors;
import io.weir.clients.internals.network.KafkaConfigs;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Weir {@link ConsumerConfig} as kafka-clients' consumer properties (see {@link KafkaConfigs}), always with the
 * classic group protocol. Weir's built-in assignors become Kafka's built-in classes of the same name and algorithm
 * (so Weir and Kafka consumers can share a group); any other Weir assignor becomes an {@link AssignorAdapter}
 * handed its configured Weir instance through one config key. Stateless.
 */
final class ConsumerKafkaConfig {
    private static final Map<Class<?>, String> KAFKA_ASSIGNORS = Map.of(
            RangeAssignor.class, org.apache.kafka.clients.consumer.RangeAssignor.class.getName(),
            RoundRobinAssignor.class, org.apache.kafka.clients.consumer.RoundRobinAssignor.class.getName(),
            StickyAssignor.class, org.apache.kafka.clients.consumer.StickyAssignor.class.getName(),
            CooperativeStickyAssignor.class,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());

    private ConsumerKafkaConfig() {}

    static Map<String, Object> consumer(ConsumerConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", KafkaConfigs.servers(c.bootstrapServers()));
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
        KafkaConfigs.passThrough(
                c.originals(),
                org.apache.kafka.clients.consumer.ConsumerConfig.configNames(),
                Set.of("key.deserializer", "value.deserializer", "partition.assignment.strategy"),
                p);
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
}
