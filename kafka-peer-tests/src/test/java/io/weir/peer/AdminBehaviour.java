package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.AlterConfigOp;
import io.weir.clients.admin.ConfigEntry;
import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.ListOffsetsResultInfo;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.RecordsToDelete;
import io.weir.clients.admin.TopicDescription;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionListing;
import io.weir.clients.admin.TransactionState;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.config.ConfigResource;
import io.weir.common.errors.GroupIdNotFoundException;
import io.weir.common.errors.GroupNotEmptyException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour of Weir's {@link Admin}, one suite for both implementations (see {@link ClientBehaviour}): topics,
 * configurations, offsets, record deletion, consumer groups and transactions, with Weir's typed exceptions.
 */
abstract class AdminBehaviour {
    private String name;
    private Admin admin;

    abstract Clients clients();

    @BeforeEach
    void openAdmin(TestInfo test) {
        name = getClass().getSimpleName() + "-"
                + test.getTestMethod().orElseThrow().getName();
        admin = clients().admin();
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void topicsAreCreatedDescribedListedAndDeleted() throws Exception {
        get(admin.createTopics(List.of(new NewTopic(name, 3, Map.of("retention.ms", "60000"))))
                .all());
        assertInstanceOf(
                TopicExistsException.class,
                failure(admin.createTopics(List.of(new NewTopic(name, 3)))
                        .values()
                        .get(name)));
        TopicDescription description =
                get(admin.describeTopics(List.of(name)).values().get(name));
        assertEquals(3, description.partitionCount());
        assertEquals("60000", description.configs().get("retention.ms"));
        assertTrue(get(admin.listTopics()).contains(name));
        get(admin.createPartitions(Map.of(name, 4)).all());
        assertEquals(4, get(admin.describeTopics(List.of(name)).all()).get(name).partitionCount());
        get(admin.deleteTopics(List.of(name)).all());
        Clients.await("the topic to be gone", () -> !listTopics().contains(name), Clients::backOff);
        assertInstanceOf(
                UnknownTopicOrPartitionException.class,
                failure(admin.describeTopics(List.of(name)).values().get(name)));
    }

    private Set<String> listTopics() {
        return admin.listTopics().join();
    }

    @Test
    void topicConfigurationIsDescribedAndAlteredIncrementally() throws Exception {
        clients().createTopic(name, 1);
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
        get(admin.incrementalAlterConfigs(Map.of(
                        topic,
                        List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "12345"), AlterConfigOp.OpType.SET))))
                .all());
        // Kafka's brokers apply a change from the metadata log after answering it, so a describe right after may
        // still show the old value: wait for it, as a Kafka user must (Weir's answer already holds it).
        Clients.await(
                "retention.ms=12345 from the topic's own config",
                () -> "12345".equals(retention(topic).value())
                        && retention(topic).source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
                Clients::backOff);
        get(admin.incrementalAlterConfigs(Map.of(
                        topic,
                        List.of(new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE))))
                .all());
        Clients.await(
                "retention.ms back to its default",
                () -> retention(topic).source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG,
                Clients::backOff);
    }

    private ConfigEntry retention(ConfigResource topic) {
        try {
            return get(admin.describeConfigs(List.of(topic)).values().get(topic))
                    .get("retention.ms");
        } catch (Exception e) {
            throw new IllegalStateException("describeConfigs failed for " + topic, e);
        }
    }

    @Test
    void offsetsAreListedEarliestLatestAndByTimestamp() throws Exception {
        clients().createTopic(name, 1);
        TopicPartition tp = new TopicPartition(name, 0);
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(name, 0, 1_000L * (i + 1), "k", "v" + i));
            }
            producer.flush();
        }
        assertEquals(0, offset(tp, OffsetSpec.earliest()).offset());
        assertEquals(3, offset(tp, OffsetSpec.latest()).offset());
        ListOffsetsResultInfo byTime = offset(tp, OffsetSpec.forTimestamp(1_500L));
        assertEquals(1, byTime.offset());
        assertEquals(2_000L, byTime.timestamp());
    }

    private ListOffsetsResultInfo offset(TopicPartition tp, OffsetSpec spec) throws Exception {
        return get(admin.listOffsets(Map.of(tp, spec)).values().get(tp));
    }

    @Test
    void deleteRecordsMovesTheLogStartAndRefusesAnOffsetPastTheEnd() throws Exception {
        clients().createTopic(name, 1);
        TopicPartition tp = new TopicPartition(name, 0);
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(name, "k", "v" + i));
            }
            producer.flush();
        }
        assertEquals(
                3,
                get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3)))
                                .values()
                                .get(tp))
                        .lowWatermark());
        assertEquals(3, offset(tp, OffsetSpec.earliest()).offset());
        assertInstanceOf(
                OffsetOutOfRangeException.class,
                failure(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(99)))
                        .values()
                        .get(tp)));
    }

    @Test
    void consumerGroupsAreListedDescribedAndDeletedOnceEmpty() throws Exception {
        clients().createTopic(name, 2);
        TopicPartition tp = new TopicPartition(name, 0);
        try (Consumer<String, String> member = clients().consumer(Map.of("group.id", name, "client.id", "member"))) {
            member.subscribe(List.of(name));
            Clients.await(
                    "the member to be assigned",
                    () -> member.assignment().size() == 2,
                    () -> member.poll(Duration.ofMillis(50)));
            member.commitSync(Map.of(tp, new OffsetAndMetadata(0)));
            ConsumerGroupDescription group =
                    get(admin.describeConsumerGroups(List.of(name)).values().get(name));
            assertEquals(1, group.members().size());
            assertEquals("member", group.members().get(0).clientId());
            assertEquals(
                    Set.of(tp, new TopicPartition(name, 1)),
                    group.members().get(0).assignment());
            assertEquals("range", group.partitionAssignor());
            Collection<ConsumerGroupListing> listed = get(admin.listConsumerGroups());
            assertTrue(listed.stream().anyMatch(g -> g.groupId().equals(name)), listed.toString());
            assertInstanceOf(
                    GroupNotEmptyException.class,
                    failure(admin.deleteConsumerGroups(List.of(name)).values().get(name)));
        }
        assertEquals(Map.of(tp, new OffsetAndMetadata(0, "")), get(admin.listConsumerGroupOffsets(name)));
        GroupOffsetLag lag = get(admin.describeConsumerGroupLag(name)).get(tp);
        assertEquals(0, lag.committedOffset());
        assertEquals(0, lag.logEndOffset());
        get(admin.alterConsumerGroupOffsets(name, Map.of(tp, new OffsetAndMetadata(0)))
                .all());
        get(admin.deleteConsumerGroups(List.of(name)).all());
        assertInstanceOf(
                GroupIdNotFoundException.class,
                failure(admin.deleteConsumerGroups(List.of(name)).values().get(name)));
    }

    @Test
    void transactionsAreListedAndDescribed() throws Exception {
        clients().createTopic(name, 1);
        try (Producer<String, String> producer = clients().producer(Map.of("transactional.id", name))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(name, "k", "v")).get(30, TimeUnit.SECONDS);
            TransactionDescription open =
                    get(admin.describeTransactions(List.of(name)).values().get(name));
            assertEquals(TransactionState.ONGOING, open.state());
            assertEquals(Set.of(new TopicPartition(name, 0)), open.topicPartitions());
            assertTrue(open.transactionStartTimeMs().isPresent());
            Collection<TransactionListing> listed = get(admin.listTransactions());
            assertTrue(
                    listed.stream()
                            .anyMatch(t -> t.transactionalId().equals(name) && t.producerId() == open.producerId()),
                    listed.toString());
            producer.commitTransaction();
        }
        Clients.await(
                "the transaction to complete",
                () -> describe(name).state() == TransactionState.COMPLETE_COMMIT,
                Clients::backOff);
        assertFalse(describe(name).transactionStartTimeMs().isPresent());
    }

    private TransactionDescription describe(String id) {
        return admin.describeTransactions(List.of(id)).values().get(id).join();
    }
}
