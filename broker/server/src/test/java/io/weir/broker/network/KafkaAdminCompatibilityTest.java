package io.weir.broker.network;

import static io.weir.broker.network.ListenerFixture.pollUntil;
import static io.weir.broker.network.ListenerFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-clients 4.1's Admin against Weir's listener: topics, offsets (and their deletion), configs, groups, records,
 * cluster.
 */
class KafkaAdminCompatibilityTest {
    @TempDir
    static Path dir;

    static ListenerFixture weir;
    static Admin admin;

    @BeforeAll
    static void open() {
        weir = new ListenerFixture(dir);
        admin = weir.admin();
    }

    @AfterAll
    static void close() {
        admin.close();
        weir.close();
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = weir.producer(new Properties())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    @Test
    void createdTopicsAreDescribedAndASecondCreateIsRefused() throws Exception {
        String topic = unique("adm");
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        TopicDescription description =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertEquals(3, description.partitions().size());
        assertEquals(
                weir.broker.config().nodeId(),
                description.partitions().get(0).leader().id());
        assertTrue(admin.listTopics().names().get().contains(topic));
        ExecutionException again = assertThrows(
                ExecutionException.class, () -> admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get());
        assertInstanceOf(TopicExistsException.class, again.getCause());

        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all().get();
        assertEquals(
                5,
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .size());

        admin.deleteTopics(List.of(topic)).all().get();
        ExecutionException gone = assertThrows(
                ExecutionException.class,
                () -> admin.describeTopics(List.of(topic)).allTopicNames().get());
        assertInstanceOf(UnknownTopicOrPartitionException.class, gone.getCause());
    }

    @Test
    void listOffsetsAndDeleteRecordsMoveTheLogStart() throws Exception {
        String topic = unique("offs");
        weir.createTopic(topic, 1);
        produce(topic, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        assertEquals(
                0,
                admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                        .partitionResult(tp)
                        .get()
                        .offset());
        assertEquals(
                10,
                admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                        .partitionResult(tp)
                        .get()
                        .offset());
        long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4)))
                .lowWatermarks()
                .get(tp)
                .get()
                .lowWatermark();
        assertEquals(4, low);
        assertEquals(
                4,
                admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                        .partitionResult(tp)
                        .get()
                        .offset());
    }

    @Test
    void topicConfigsAreDescribedAndAltered() throws Exception {
        String topic = unique("cfg");
        weir.createTopic(topic, 1);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(
                        resource,
                        List.of(new AlterConfigOp(
                                new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET))))
                .all()
                .get();
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        ConfigEntry retention = config.get("retention.ms");
        assertEquals("3600000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());

        ConfigResource broker = new ConfigResource(
                ConfigResource.Type.BROKER, String.valueOf(weir.broker.config().nodeId()));
        assertFalse(admin.describeConfigs(List.of(broker))
                .all()
                .get()
                .get(broker)
                .entries()
                .isEmpty());
    }

    @Test
    void consumerGroupsAreListedDescribedAndDeleted() throws Exception {
        String topic = unique("grp");
        String group = unique("g");
        weir.createTopic(topic, 1);
        produce(topic, 3);
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, String> consumer = weir.consumer(props)) {
            consumer.subscribe(List.of(topic));
            assertEquals(3, pollUntil(consumer, 3, Duration.ofSeconds(30)).size());
            consumer.commitSync();
            Collection<GroupListing> groups = admin.listGroups().all().get();
            assertTrue(groups.stream().anyMatch(g -> g.groupId().equals(group)), groups.toString());
        }
        assertEquals(
                3,
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(new TopicPartition(topic, 0))
                        .offset());
        admin.deleteConsumerGroups(List.of(group)).all().get();
        assertEquals(
                Map.of(),
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(),
                "as Kafka 4.1: a group the broker does not know has no offsets, and no error");
    }

    @Test
    void createTopicsWithTheDefaultCountsAnswersTheBrokersDefaultsAlsoWhenOnlyValidating() throws Exception {
        String validated = unique("adm-default-v");
        String created = unique("adm-default");
        NewTopic defaults = new NewTopic(validated, Optional.empty(), Optional.empty());
        var validation = admin.createTopics(List.of(defaults), new CreateTopicsOptions().validateOnly(true));
        assertEquals(
                weir.broker.config().numPartitions(),
                validation.numPartitions(validated).get());
        assertEquals(1, validation.replicationFactor(validated).get());
        assertFalse(admin.listTopics().names().get().contains(validated), "validate only: nothing created");

        var creation = admin.createTopics(List.of(new NewTopic(created, Optional.empty(), Optional.empty())));
        assertEquals(
                weir.broker.config().numPartitions(),
                creation.numPartitions(created).get());
        assertEquals(1, creation.replicationFactor(created).get());
    }

    @Test
    void offsetsOfATopicTheLiveGroupConsumesCannotBeDeletedOthersCanAndAllOnceTheGroupIsEmpty() throws Exception {
        String consumed = unique("od-consumed");
        String other = unique("od-other");
        String group = unique("g");
        weir.createTopic(consumed, 1);
        weir.createTopic(other, 1);
        produce(consumed, 3);
        TopicPartition consumedTp = new TopicPartition(consumed, 0);
        TopicPartition otherTp = new TopicPartition(other, 0);
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, String> consumer = weir.consumer(props)) {
            consumer.subscribe(List.of(consumed));
            assertEquals(3, pollUntil(consumer, 3, Duration.ofSeconds(30)).size());
            consumer.commitSync(Map.of(consumedTp, new OffsetAndMetadata(3), otherTp, new OffsetAndMetadata(0)));

            var live = admin.deleteConsumerGroupOffsets(group, Set.of(consumedTp, otherTp));
            ExecutionException refused = assertThrows(ExecutionException.class, () -> live.partitionResult(consumedTp)
                    .get());
            assertInstanceOf(GroupSubscribedToTopicException.class, refused.getCause());
            live.partitionResult(otherTp).get();
            assertEquals(Map.of(consumedTp, new OffsetAndMetadata(3)), committed(group));
        }
        admin.deleteConsumerGroupOffsets(group, Set.of(consumedTp)).all().get();
        assertEquals(Map.of(), committed(group), "an empty group's offsets can all be deleted");

        ExecutionException unknown = assertThrows(
                ExecutionException.class, () -> admin.deleteConsumerGroupOffsets(unique("never"), Set.of(consumedTp))
                        .all()
                        .get());
        assertInstanceOf(GroupIdNotFoundException.class, unknown.getCause());
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> out = new java.util.HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((tp, o) -> {
                    if (o != null) {
                        out.put(tp, new OffsetAndMetadata(o.offset()));
                    }
                });
        return out;
    }

    @Test
    void clusterIsOneBrokerAtTheAdvertisedAddress() throws Exception {
        var cluster = admin.describeCluster();
        assertEquals(1, cluster.nodes().get().size());
        assertEquals(
                weir.broker.boundPort(), cluster.nodes().get().iterator().next().port());
        assertEquals(weir.broker.config().clusterId(), cluster.clusterId().get());
        assertEquals(weir.broker.config().nodeId(), cluster.controller().get().id());
    }

    @Test
    void transactionsAndProducersAreListedAndDescribed() throws Exception {
        String topic = unique("txadm");
        String txnId = unique("tx");
        weir.createTopic(topic, 1);
        Properties props = new Properties();
        props.put("transactional.id", txnId);
        try (KafkaProducer<String, String> producer = weir.producer(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            assertTrue(admin.listTransactions().all().get().stream()
                    .anyMatch(t -> t.transactionalId().equals(txnId)));
            var described =
                    admin.describeTransactions(List.of(txnId)).all().get().get(txnId);
            assertEquals(Set.of(new TopicPartition(topic, 0)), described.topicPartitions());
            var producers = admin.describeProducers(List.of(new TopicPartition(topic, 0)))
                    .partitionResult(new TopicPartition(topic, 0))
                    .get();
            assertEquals(1, producers.activeProducers().size());
            producer.commitTransaction();
        }
    }
}
