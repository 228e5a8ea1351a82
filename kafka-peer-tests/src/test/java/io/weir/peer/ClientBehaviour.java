package io.weir.peer;

import static io.weir.peer.Clients.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.clients.producer.UniformStickyPartitioner;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.WakeupException;
import io.weir.common.record.Header;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour of Weir's producer and consumer, one suite for both implementations: each subclass names a broker
 * ({@link #clients()}), and the same tests run against Weir's embedded broker with the in-process clients and
 * against Apache Kafka with the network clients, so the two cannot drift apart. Admin behaviour is in
 * {@link AdminBehaviour}. Every test uses topics and groups of its own name.
 */
abstract class ClientBehaviour {
    private String name;

    /** The clients under test, for this subclass's broker. */
    abstract Clients clients();

    @BeforeEach
    void name(TestInfo test) {
        name = getClass().getSimpleName() + "-"
                + test.getTestMethod().orElseThrow().getName();
    }

    private String topic() throws Exception {
        clients().createTopic(name, 1);
        return name;
    }

    @Test
    void recordsArriveWithTheirKeysValuesHeadersAndTimestamps() throws Exception {
        String topic = topic();
        List<Header> headers = List.of(new Header("h", "v".getBytes(StandardCharsets.UTF_8)));
        RecordMetadata sent;
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            sent = producer.send(new ProducerRecord<>(topic, 0, 1_000L, "k", "v", headers))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, null, "no key")).get(30, TimeUnit.SECONDS);
        }
        assertEquals(new TopicPartition(topic, 0), sent.topicPartition());
        assertEquals(0, sent.offset());
        assertEquals(1_000L, sent.timestamp());
        try (Consumer<String, String> consumer = clients().consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 2);
            ConsumerRecord<String, String> first = records.get(0);
            assertEquals("k", first.key());
            assertEquals("v", first.value());
            assertEquals(1_000L, first.timestamp());
            assertEquals(ConsumerRecord.TimestampType.CREATE_TIME, first.timestampType());
            assertEquals(headers, first.headers());
            assertNull(records.get(1).key());
            assertEquals(1, records.get(1).offset());
        }
    }

    @Test
    void callbackIsToldWhereTheRecordLanded() throws Exception {
        String topic = topic();
        List<RecordMetadata> told = new CopyOnWriteArrayList<>();
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, "k", "v"), (m, e) -> told.add(m));
            producer.flush();
        }
        assertEquals(1, told.size());
        assertEquals(topic, told.get(0).topic());
        assertEquals(0, told.get(0).offset());
    }

    @Test
    void seekPositionAndCommittedFollowTheConsumer() throws Exception {
        String topic = topic();
        TopicPartition tp = new TopicPartition(topic, 0);
        send(topic, 5);
        try (Consumer<String, String> consumer = clients().consumer(Map.of("group.id", name))) {
            consumer.assign(List.of(tp));
            assertEquals(0, consumer.position(tp));
            consumer.seek(tp, 3);
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 2);
            assertEquals(3, records.get(0).offset());
            assertEquals(5, consumer.position(tp));
            assertNull(consumer.committed(Set.of(tp)).get(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(4, "meta")));
            OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
            assertEquals(4, committed.offset());
            assertEquals("meta", committed.metadata());
            assertEquals(Map.of(tp, 0L), consumer.beginningOffsets(List.of(tp)));
            assertEquals(Map.of(tp, 5L), consumer.endOffsets(List.of(tp)));
            consumer.seekToBeginning(List.of(tp));
            assertEquals(0, consumer.position(tp));
        }
    }

    @Test
    void currentLagIsUnknownUntilAFetchAnswersThenCountsTheRecordsNotYetHandedOut() throws Exception {
        String topic = topic();
        TopicPartition tp = new TopicPartition(topic, 0);
        send(topic, 5);
        try (Consumer<String, String> consumer = clients().consumer(Map.of("max.poll.records", "2"))) {
            consumer.assign(List.of(tp));
            assertEquals(OptionalLong.empty(), consumer.currentLag(tp));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 2);
            assertEquals(2, records.size());
            assertEquals(OptionalLong.of(3), consumer.currentLag(tp));
            pollUntil(consumer, 3);
            assertEquals(OptionalLong.of(0), consumer.currentLag(tp));
        }
    }

    @Test
    void groupMemberResumesFromTheCommittedOffsetAndHearsOfItsAssignment() throws Exception {
        String topic = topic();
        send(topic, 4);
        List<Collection<TopicPartition>> assigned = new CopyOnWriteArrayList<>();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned.add(List.copyOf(partitions));
            }
        };
        try (Consumer<String, String> consumer = clients().consumer(Map.of("group.id", name))) {
            consumer.subscribe(List.of(topic), listener);
            assertEquals(4, pollUntil(consumer, 4).size());
            consumer.commitSync();
            ConsumerGroupMetadata metadata = consumer.groupMetadata();
            assertEquals(name, metadata.groupId());
            assertTrue(metadata.generationId() > 0, metadata.toString());
        }
        assertEquals(List.of(List.of(new TopicPartition(topic, 0))), assigned);
        send(topic, 2);
        try (Consumer<String, String> consumer = clients().consumer(Map.of("group.id", name))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 2);
            assertEquals(4, records.get(0).offset());
        }
    }

    @Test
    void secondMemberTakesPartitionsThatTheFirstIsToldWereRevoked() throws Exception {
        String topic = name;
        clients().createTopic(topic, 2);
        List<Collection<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revoked.add(List.copyOf(partitions));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        };
        Map<String, Object> range = Map.of("group.id", name, "partition.assignment.strategy", "range");
        try (Consumer<String, String> first = clients().consumer(range);
                Consumer<String, String> second = clients().consumer(range)) {
            Clients.secondMemberJoins(first, second, topic, listener);
        }
        assertTrue(revoked.stream().anyMatch(r -> r.size() == 2), "revocations: " + revoked);
    }

    @Test
    void uniformStickyPartitionerSpreadsKeylessRecordsOverPartitions() throws Exception {
        clients().createTopic(name, 3);
        Set<Integer> partitions = new java.util.TreeSet<>();
        String value = "v".repeat(200); // more than a batch's worth of bytes, so each record moves on
        try (Producer<String, String> producer = clients()
                .producer(Map.of("partitioner.class", UniformStickyPartitioner.class.getName(), "batch.size", 256))) {
            for (int i = 0; i < 20; i++) {
                partitions.add(producer.send(new ProducerRecord<>(name, null, value))
                        .get(30, TimeUnit.SECONDS)
                        .partition());
            }
        }
        assertTrue(partitions.size() > 1, "keyless records all went to partitions " + partitions);
    }

    @Test
    void wakeupEndsABlockedPollWithWakeupException() throws Exception {
        String topic = topic();
        try (Consumer<String, String> consumer = clients().consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.wakeup();
            assertThrows(WakeupException.class, () -> consumer.poll(Duration.ofSeconds(10)));
            // And a poll already blocked, woken from another thread: the poll has started and not returned for
            // 300 ms (nothing to fetch) when wakeup() is called.
            java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Throwable> polled =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        polling.countDown();
                        return assertThrows(WakeupException.class, () -> consumer.poll(Duration.ofSeconds(30)));
                    });
            assertTrue(polling.await(30, TimeUnit.SECONDS));
            assertThrows(java.util.concurrent.TimeoutException.class, () -> polled.get(300, TimeUnit.MILLISECONDS));
            consumer.wakeup();
            assertInstanceOf(WakeupException.class, polled.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void idempotentProducerWritesEveryRecordOnceInOrder() throws Exception {
        String topic = topic();
        try (Producer<String, String> producer =
                clients().producer(Map.of("enable.idempotence", true, "acks", "all"))) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i));
            }
            producer.flush();
        }
        try (Consumer<String, String> consumer = clients().consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 100);
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, records.get(i).value());
            }
            assertEquals(
                    Map.of(new TopicPartition(topic, 0), 100L),
                    consumer.endOffsets(List.of(new TopicPartition(topic, 0))));
        }
    }

    @Test
    void readCommittedSeesCommittedTransactionsAndNeverAbortedOnes() throws Exception {
        String topic = topic();
        try (Producer<String, String> producer = clients().producer(Map.of("transactional.id", name))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }
        try (Consumer<String, String> committed = clients().consumer(Map.of("isolation.level", "read_committed"));
                Consumer<String, String> uncommitted = clients().consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            committed.assign(List.of(tp));
            uncommitted.assign(List.of(tp));
            List<ConsumerRecord<String, String>> seen = pollUntil(committed, 1);
            assertEquals(List.of("committed"), values(seen));
            List<ConsumerRecord<String, String>> all = pollUntil(uncommitted, 2);
            assertEquals(List.of("aborted", "committed"), values(all));
            // Nothing else arrives: the markers are not records.
            assertTrue(committed.poll(Duration.ofMillis(200)).isEmpty());
        }
    }

    @Test
    void newerProducerWithTheSameTransactionalIdFencesTheOlder() throws Exception {
        String topic = topic();
        try (Producer<String, String> zombie = clients().producer(Map.of("transactional.id", name))) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, "k", "zombie")).get(30, TimeUnit.SECONDS);
            try (Producer<String, String> successor = clients().producer(Map.of("transactional.id", name))) {
                successor.initTransactions();
                successor.beginTransaction();
                successor.send(new ProducerRecord<>(topic, "k", "successor"));
                successor.commitTransaction();
            }
            // Producer.commitTransaction promises ProducerFencedException; Kafka 4 answers an old epoch's EndTxn
            // with PRODUCER_FENCED too.
            assertThrows(ProducerFencedException.class, zombie::commitTransaction);
        }
        try (Consumer<String, String> consumer = clients().consumer(Map.of("isolation.level", "read_committed"))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertEquals(List.of("successor"), values(pollUntil(consumer, 1)));
        }
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithIt() throws Exception {
        String input = topic();
        send(input, 3);
        TopicPartition tp = new TopicPartition(input, 0);
        try (Consumer<String, String> consumer = clients().consumer(Map.of("group.id", name));
                Producer<String, String> producer = clients().producer(Map.of("transactional.id", name))) {
            consumer.subscribe(List.of(input));
            pollUntil(consumer, 3);
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(2)), consumer.groupMetadata());
            producer.abortTransaction();
            assertNull(consumer.committed(Set.of(tp)).get(tp));
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(3)), consumer.groupMetadata());
            producer.commitTransaction();
            assertEquals(3, consumer.committed(Set.of(tp)).get(tp).offset());
        }
    }

    @Test
    void offsetsSentWithAMembersStaleGenerationAreRefusedWithCommitFailed() throws Exception {
        clients().createTopic(name, 2);
        try (Consumer<String, String> first = clients().consumer(Map.of("group.id", name));
                Consumer<String, String> second = clients().consumer(Map.of("group.id", name));
                Producer<String, String> producer = clients().producer(Map.of("transactional.id", name))) {
            first.subscribe(List.of(name));
            Clients.await(
                    "the first member to own both partitions",
                    () -> first.assignment().size() == 2,
                    () -> first.poll(Duration.ofMillis(50)));
            ConsumerGroupMetadata stale = first.groupMetadata();
            second.subscribe(List.of(name));
            Clients.await(
                    "both members to own one partition each",
                    () -> first.assignment().size() == 1 && second.assignment().size() == 1,
                    () -> {
                        first.poll(Duration.ofMillis(50));
                        second.poll(Duration.ofMillis(50));
                    });
            producer.initTransactions();
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    Map.of(new TopicPartition(name, 0), new OffsetAndMetadata(1));
            assertThrows(CommitFailedException.class, () -> producer.sendOffsetsToTransaction(offsets, stale));
            producer.abortTransaction();
        }
    }

    @Test
    void offsetsSentWithAReplacedStaticMembersMetadataAreRefusedWithCommitFailed() throws Exception {
        String topic = topic();
        Map<String, Object> staticMember = Map.of("group.id", name, "group.instance.id", name + "-instance");
        ConsumerGroupMetadata replaced;
        try (Consumer<String, String> first = clients().consumer(staticMember)) {
            first.subscribe(List.of(topic));
            Clients.await(
                    "the static member to own the partition",
                    () -> first.assignment().size() == 1,
                    () -> first.poll(Duration.ofMillis(50)));
            replaced = first.groupMetadata();
        }
        try (Consumer<String, String> successor = clients().consumer(staticMember);
                Producer<String, String> producer = clients().producer(Map.of("transactional.id", name))) {
            successor.subscribe(List.of(topic));
            Clients.await(
                    "the successor to own the partition",
                    () -> successor.assignment().size() == 1,
                    () -> successor.poll(Duration.ofMillis(50)));
            producer.initTransactions();
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1));
            // Weir's producer says CommitFailedException (Kafka's says FencedInstanceIdException; the network
            // producer translates it to Weir's).
            assertThrows(CommitFailedException.class, () -> producer.sendOffsetsToTransaction(offsets, replaced));
            producer.abortTransaction();
        }
    }

    @Test
    void consumeTransformProduceLoopWritesEveryInputExactlyOnceThroughAborts() throws Exception {
        new ExactlyOnceLoop(clients(), name).run(300);
    }

    private void send(String topic, int count) throws Exception {
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    static List<String> values(List<ConsumerRecord<String, String>> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.value()));
        return out;
    }
}
