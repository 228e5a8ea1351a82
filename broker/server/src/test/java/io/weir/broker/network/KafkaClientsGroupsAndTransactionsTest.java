package io.weir.broker.network;

import static io.weir.broker.network.ListenerFixture.pollUntil;
import static io.weir.broker.network.ListenerFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups (classic protocol), idempotent and transactional kafka-clients 4.1 against Weir's listener. */
class KafkaClientsGroupsAndTransactionsTest {
    @TempDir
    static Path dir;

    static ListenerFixture weir;

    @BeforeAll
    static void open() {
        weir = new ListenerFixture(dir);
    }

    @AfterAll
    static void close() {
        weir.close();
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    /** Writes records {@code from} to {@code to} - 1, alternating between the topic's two partitions. */
    private static void produce(String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = weir.producer(new Properties())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    @Test
    void consumerGroupCommitsAndASecondMemberResumesFromTheCommit() throws Exception {
        String topic = unique("group");
        String group = unique("g");
        weir.createTopic(topic, 2);
        produce(topic, 0, 40);
        Properties groupProps = props(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, String> consumer = weir.consumer(groupProps)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 40, Duration.ofSeconds(30));
            assertEquals(40, got.size());
            consumer.commitSync();
            assertEquals(
                    20,
                    consumer.committed(Set.of(new TopicPartition(topic, 0)))
                            .get(new TopicPartition(topic, 0))
                            .offset());
        }
        produce(topic, 40, 50);
        try (KafkaConsumer<String, String> consumer = weir.consumer(groupProps)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 10, Duration.ofSeconds(30));
            Set<String> values = new HashSet<>();
            got.forEach(r -> values.add(r.value()));
            assertEquals(10, got.size(), "only the records after the commit: " + values);
            for (int i = 40; i < 50; i++) {
                assertTrue(values.contains("v" + i), "v" + i);
            }
        }
    }

    @Test
    void twoMembersSplitThePartitions() throws Exception {
        String topic = unique("split");
        String group = unique("g");
        weir.createTopic(topic, 2);
        Properties groupProps = props(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, String> a = weir.consumer(groupProps);
                KafkaConsumer<String, String> b = weir.consumer(groupProps)) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            ListenerFixture.await(
                    () -> {
                        a.poll(Duration.ofMillis(20));
                        b.poll(Duration.ofMillis(20));
                        return a.assignment().size() == 1 && b.assignment().size() == 1;
                    },
                    Duration.ofSeconds(30),
                    "one partition each");
            Set<TopicPartition> all = new HashSet<>(a.assignment());
            all.addAll(b.assignment());
            assertEquals(2, all.size());
            try (org.apache.kafka.clients.admin.Admin admin = weir.admin()) {
                Set<String> clientIds = new HashSet<>();
                admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get()
                        .get(group)
                        .members()
                        .forEach(m -> clientIds.add(m.clientId()));
                // Each member is reported with the client id of its JoinGroup's request header.
                assertEquals(
                        Set.of(a.groupMetadata().memberId(), b.groupMetadata().memberId())
                                .size(),
                        clientIds.size());
                assertTrue(clientIds.stream().allMatch(id -> id.startsWith("consumer-" + group)), clientIds::toString);
            }
        }
    }

    @Test
    void idempotentProducerWritesEachRecordOnce() throws Exception {
        String topic = unique("idem");
        weir.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = weir.producer(props(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"))) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = weir.consumer(new Properties())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 500, Duration.ofSeconds(20));
            assertEquals(500, got.size());
            assertEquals(500L, consumer.endOffsets(List.of(tp)).get(tp));
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
        String topic = unique("txn");
        weir.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer =
                weir.producer(props(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx")))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer =
                weir.consumer(props(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 3, Duration.ofSeconds(20));
            List<String> values = new ArrayList<>();
            got.forEach(r -> values.add(r.value()));
            assertEquals(List.of("committed-1", "committed-2", "committed-3"), values);
        }
        try (KafkaConsumer<String, String> consumer =
                weir.consumer(props(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 4, Duration.ofSeconds(20));
            assertEquals(4, got.size(), "read_uncommitted also sees the aborted record");
        }
    }

    @Test
    void aNewInstanceFencesTheZombie() throws Exception {
        String topic = unique("zombie");
        String txnId = unique("tx");
        weir.createTopic(topic, 1);
        try (KafkaProducer<String, String> zombie =
                        weir.producer(props(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId));
                KafkaProducer<String, String> successor =
                        weir.producer(props(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId))) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, "k", "zombie")).get();
            successor.initTransactions(); // bumps the epoch and aborts the zombie's transaction
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, "k", "successor"));
            successor.commitTransaction();
            assertThrows(ProducerFencedException.class, zombie::commitTransaction);
        }
        try (KafkaConsumer<String, String> consumer =
                weir.consumer(props(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 1, Duration.ofSeconds(20));
            assertEquals(1, got.size());
            assertEquals("successor", got.get(0).value());
        }
    }

    @Test
    void sendOffsetsToTransactionCommitsTheGroupOffsetsWithTheOutput() throws Exception {
        String input = unique("in");
        String output = unique("out");
        String group = unique("g");
        weir.createTopic(input, 2);
        weir.createTopic(output, 1);
        produce(input, 0, 10);
        TopicPartition in0 = new TopicPartition(input, 0);
        TopicPartition in1 = new TopicPartition(input, 1);
        try (KafkaConsumer<String, String> consumer = weir.consumer(props(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"));
                KafkaProducer<String, String> producer =
                        weir.producer(props(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx")))) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, 5, Duration.ofSeconds(30));
            assertTrue(got.size() >= 5, "got " + got.size());
            producer.beginTransaction();
            long next = 0;
            for (ConsumerRecord<String, String> r : got) {
                producer.send(new ProducerRecord<>(output, r.key(), r.value().toUpperCase()));
                next = r.offset() + 1;
            }
            producer.sendOffsetsToTransaction(Map.of(in0, new OffsetAndMetadata(next)), consumer.groupMetadata());
            producer.commitTransaction();
            assertEquals(next, consumer.committed(Set.of(in0)).get(in0).offset());
        }
        try (KafkaConsumer<String, String> check =
                weir.consumer(props(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            check.assign(List.of(new TopicPartition(output, 0)));
            assertTrue(pollUntil(check, 5, Duration.ofSeconds(20)).size() >= 5);
        }
    }
}
