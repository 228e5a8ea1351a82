package io.weir.clients.internals.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.clients.producer.ProducerConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.CoordinatorNotAvailableException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.RecordDeserializationException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.WakeupException;
import io.weir.common.errors.WeirException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The translations at the edge of the network clients, without a broker: which bootstrap list selects them, how a
 * Weir config becomes a Kafka one, how Kafka's exceptions become Weir's, and how a Weir assignor runs inside Kafka's
 * consumer.
 */
class KafkaEdgeTest {

    @Test
    void networkAddressesSelectTheNetworkClientsAndEmbeddedNamesDoNot() {
        assertTrue(NetworkClients.selects(List.of("127.0.0.1:9092", "other:9092")));
        assertFalse(NetworkClients.selects(List.of("embedded:weir")));
        InvalidConfigurationException mixed = assertThrows(
                InvalidConfigurationException.class,
                () -> NetworkClients.selects(List.of("embedded:weir", "127.0.0.1:9092")));
        assertTrue(mixed.getMessage().contains("mixes"), mixed.getMessage());
    }

    @Test
    void producerConfigKeepsKafkaKeysAndDropsWeirOnlyOnes() {
        Map<String, Object> given = new HashMap<>();
        given.put("bootstrap.servers", "a:1,b:2");
        given.put("acks", "1");
        given.put("linger.ms", 7);
        given.put("socket.connection.setup.timeout.ms", 1234); // Kafka-only: passes through
        given.put("weir.something", "x"); // neither knows it: dropped
        given.put("key.serializer", "io.weir.common.serialization.StringSerializer");
        Map<String, Object> kafka = KafkaConfigs.producer(ProducerConfig.from(given));
        assertEquals("a:1,b:2", kafka.get("bootstrap.servers"));
        assertEquals("1", kafka.get("acks"));
        assertEquals(7L, kafka.get("linger.ms"));
        assertEquals(1234, kafka.get("socket.connection.setup.timeout.ms"));
        assertFalse(kafka.containsKey("weir.something"));
        assertFalse(kafka.containsKey("key.serializer"), "serializers are passed as adapted instances");
    }

    @Test
    void builtInAssignorsBecomeKafkasAndAnotherBecomesTheAdapter() {
        Map<String, Object> given = new HashMap<>();
        given.put("bootstrap.servers", "a:1");
        given.put("group.id", "g");
        given.put("partition.assignment.strategy", List.of(Custom.class.getName(), "range", "cooperative-sticky"));
        Map<String, Object> kafka = KafkaConfigs.consumer(ConsumerConfig.from(given));
        assertEquals(
                List.of(
                        AssignorAdapter.class.getName(),
                        org.apache.kafka.clients.consumer.RangeAssignor.class.getName(),
                        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName()),
                kafka.get("partition.assignment.strategy"));
        assertInstanceOf(Custom.class, kafka.get(AssignorAdapter.INSTANCE_CONFIG));
        assertEquals("classic", kafka.get("group.protocol"));
    }

    @Test
    void brokerErrorsBecomeWeirsByTheirKafkaErrorCode() {
        var fenced = new org.apache.kafka.common.errors.ProducerFencedException("newer epoch");
        RuntimeException weir = KafkaErrors.translate(fenced);
        assertInstanceOf(ProducerFencedException.class, weir);
        assertSame(fenced, weir.getCause());
        assertInstanceOf(
                InvalidProducerEpochException.class,
                KafkaErrors.translate(new org.apache.kafka.common.errors.InvalidProducerEpochException("old")));
        assertInstanceOf(
                TopicExistsException.class,
                KafkaErrors.translate(
                        new ExecutionException(new org.apache.kafka.common.errors.TopicExistsException("t"))));
        assertInstanceOf(
                TimeoutException.class,
                KafkaErrors.translate(new org.apache.kafka.common.errors.TimeoutException("slow")));
    }

    @Test
    void clientSideErrorsBecomeWeirsByClass() {
        assertInstanceOf(
                WakeupException.class, KafkaErrors.translate(new org.apache.kafka.common.errors.WakeupException()));
        assertInstanceOf(
                CommitFailedException.class,
                KafkaErrors.translate(new org.apache.kafka.clients.consumer.CommitFailedException("moved on")));
        assertInstanceOf(IllegalClientStateException.class, KafkaErrors.translate(new IllegalStateException("closed")));
        assertInstanceOf(
                CoordinatorNotAvailableException.class,
                KafkaErrors.translate(new org.apache.kafka.clients.consumer.RetriableCommitFailedException(
                        new org.apache.kafka.common.errors.CoordinatorNotAvailableException("moving"))));
        var bad = new org.apache.kafka.common.errors.RecordDeserializationException(
                org.apache.kafka.common.errors.RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new org.apache.kafka.common.TopicPartition("t", 2),
                42,
                0L,
                TimestampType.CREATE_TIME,
                null,
                null,
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                "bad value",
                new RuntimeException("boom"));
        RecordDeserializationException weir =
                assertInstanceOf(RecordDeserializationException.class, KafkaErrors.translate(bad));
        assertEquals(new TopicPartition("t", 2), weir.topicPartition());
        assertEquals(42, weir.offset());
    }

    @Test
    void plainKafkaWrappersAreStrippedAndWeirExceptionsPassThrough() {
        var fenced = new org.apache.kafka.common.errors.ProducerFencedException("newer epoch");
        assertInstanceOf(ProducerFencedException.class, KafkaErrors.translate(new KafkaException("wrapped", fenced)));
        WeirException listener = new WeirException("from a rebalance listener");
        assertSame(listener, KafkaErrors.translate(new KafkaException("User rebalance callback throws", listener)));
        WeirException unknown =
                assertInstanceOf(WeirException.class, KafkaErrors.translate(new KafkaException("something new")));
        assertTrue(unknown.getMessage().contains("something new"), unknown.getMessage());
    }

    @Test
    void weirAssignorRunsInsideKafkasConsumerWithItsUserData() {
        AssignorAdapter adapter = new AssignorAdapter();
        Custom weir = new Custom();
        adapter.configure(Map.of(AssignorAdapter.INSTANCE_CONFIG, weir));
        assertEquals("custom", adapter.name());
        Node node = new Node(0, "h", 1);
        Cluster cluster = new Cluster(
                "c",
                List.of(node),
                List.of(
                        new PartitionInfo("t", 0, node, new Node[0], new Node[0]),
                        new PartitionInfo("t", 1, node, new Node[0], new Node[0])),
                Set.of(),
                Set.of());
        var subscriptions = new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription(Map.of(
                "m1",
                new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription(
                        List.of("t"), ByteBuffer.wrap(new byte[] {7}), List.of(), 3, Optional.empty())));
        var assignment =
                adapter.assign(cluster, subscriptions).groupAssignment().get("m1");
        assertEquals(
                List.of(
                        new org.apache.kafka.common.TopicPartition("t", 0),
                        new org.apache.kafka.common.TopicPartition("t", 1)),
                assignment.partitions());
        assertEquals(7, assignment.userData().get(0));
        assertEquals(Map.of("t", 2), weir.partitionsPerTopic);
    }

    /** Gives every partition to each member, echoing the member's user data. */
    public static final class Custom implements ConsumerPartitionAssignor {
        Map<String, Integer> partitionsPerTopic;

        @Override
        public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
            this.partitionsPerTopic = partitionsPerTopic;
            Map<String, Assignment> out = new HashMap<>();
            subscriptions
                    .groupSubscription()
                    .forEach((member, s) -> out.put(
                            member,
                            new Assignment(
                                    new RangeAssignor()
                                            .assign(partitionsPerTopic, new GroupSubscription(Map.of(member, s)))
                                            .groupAssignment()
                                            .get(member)
                                            .partitions(),
                                    s.userData())));
            return new GroupAssignment(out);
        }

        @Override
        public String name() {
            return "custom";
        }
    }
}
