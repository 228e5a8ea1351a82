package io.weir.clients.consumer.internals.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.RangeAssignor;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * How a Weir consumer config becomes kafka-clients' properties, and how a Weir assignor runs inside Kafka's consumer
 * through the adapter; no broker.
 */
class ConsumerKafkaConfigTest {
    @Test
    void builtInAssignorsBecomeKafkasAndAnotherBecomesTheAdapter() {
        Map<String, Object> given = new HashMap<>();
        given.put("bootstrap.servers", "a:1");
        given.put("group.id", "g");
        given.put("partition.assignment.strategy", List.of(Custom.class.getName(), "range", "cooperative-sticky"));
        Map<String, Object> kafka = ConsumerKafkaConfig.consumer(ConsumerConfig.from(given));
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
