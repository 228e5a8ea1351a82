package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.clients.producer.Acks;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidPartitionsException;
import io.weir.common.errors.InvalidTopicException;
import io.weir.common.errors.NoOffsetForPartitionException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.Utils;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Producer, consumer and admin against a real embedded broker in a fresh temp directory. */
class ClientsEndToEndTest {
    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(new Properties());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    private void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, configs)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private Producer<String, String> producer(ProducerConfig.Builder b) {
        return Producer.create(
                b.bootstrapServers(broker.bootstrapServers()).build(), new StringSerializer(), new StringSerializer());
    }

    private Consumer<String, String> consumer(ConsumerConfig.Builder b) {
        return Consumer.create(
                b.bootstrapServers(broker.bootstrapServers()).build(),
                new StringDeserializer(),
                new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> consume(Consumer<String, String> c, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (out.size() < expected && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Acks.class)
    void everyAcksModeDeliversInOrder(Acks acks) throws Exception {
        createTopic("acks", 1, Map.of());
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> p =
                producer(ProducerConfig.builder().acks(acks).lingerMs(0))) {
            for (int i = 0; i < 1000; i++) {
                futures.add(p.send(new ProducerRecord<>("acks", "k" + i, "v" + i)));
            }
            p.flush();
        }
        for (int i = 0; i < futures.size(); i++) {
            RecordMetadata m = futures.get(i).get();
            assertEquals(acks == Acks.NONE ? -1 : i, m.offset());
        }
        try (Consumer<String, String> c =
                consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST))) {
            c.assign(List.of(new TopicPartition("acks", 0)));
            List<ConsumerRecord<String, String>> records = consume(c, 1000);
            assertEquals(1000, records.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, records.get(i).offset());
                assertEquals("v" + i, records.get(i).value());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void everyCodecRoundTripsRecordsAndHeaders(CompressionType codec) throws Exception {
        createTopic("codec", 2, Map.of());
        try (Producer<String, String> p =
                producer(ProducerConfig.builder().compressionType(codec).batchSize(4096))) {
            for (int i = 0; i < 500; i++) {
                p.send(new ProducerRecord<>(
                        "codec",
                        i % 2,
                        1_000L + i,
                        "k" + i,
                        "value-" + i,
                        List.of(new Header("h", ("x" + i).getBytes(StandardCharsets.UTF_8)))));
            }
        }
        try (Consumer<String, String> c = consumer(ConsumerConfig.builder()
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .maxPollRecords(37))) {
            c.assign(List.of(new TopicPartition("codec", 0), new TopicPartition("codec", 1)));
            List<ConsumerRecord<String, String>> records = consume(c, 500);
            assertEquals(500, records.size());
            Map<Integer, Long> nextOffset = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                int i = Integer.parseInt(r.key().substring(1));
                assertEquals(i % 2, r.partition());
                assertEquals("value-" + i, r.value());
                assertEquals(1_000L + i, r.timestamp());
                assertEquals("x" + i, new String(r.headers().get(0).value(), StandardCharsets.UTF_8));
                assertEquals(nextOffset.getOrDefault(r.partition(), 0L), r.offset(), "per-partition order");
                nextOffset.put(r.partition(), r.offset() + 1);
            }
        }
    }

    @Test
    void sameKeyGoesToKafkasPartition() throws Exception {
        createTopic("keyed", 6, Map.of());
        Map<String, Integer> partitionOfKey = new HashMap<>();
        try (Producer<String, String> p = producer(ProducerConfig.builder())) {
            for (int i = 0; i < 300; i++) {
                String key = "key-" + (i % 30);
                RecordMetadata m =
                        p.send(new ProducerRecord<>("keyed", key, "v")).get();
                int expected = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 6;
                assertEquals(expected, m.partition(), key);
                Integer before = partitionOfKey.putIfAbsent(key, m.partition());
                assertTrue(before == null || before == m.partition());
            }
        }
    }

    @Test
    void aLongPollIsWokenByAnAppend() throws Exception {
        createTopic("wake", 1, Map.of());
        try (Consumer<String, String> c =
                        consumer(ConsumerConfig.builder().fetchMaxWaitMs(30_000).requestTimeoutMs(60_000));
                Producer<String, String> p = producer(ProducerConfig.builder().lingerMs(0))) {
            TopicPartition tp = new TopicPartition("wake", 0);
            c.assign(List.of(tp));
            assertEquals(0, c.position(tp));
            CountDownLatch received = new CountDownLatch(1);
            CompletableFuture<Long> pollNanos = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                while (c.poll(Duration.ofSeconds(60)).isEmpty()) {
                    // a poll may return empty only when its own deadline passes
                }
                received.countDown();
                return System.nanoTime() - start;
            });
            p.send(new ProducerRecord<>("wake", "hello")).get();
            assertTrue(received.await(10, TimeUnit.SECONDS), "poll was not woken by the append");
            assertTrue(pollNanos.get() < TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void badInputFailsWithTypedErrorsNamingTheValues() throws Exception {
        createTopic("small", 1, Map.of("max.message.bytes", "500"));
        try (Producer<String, String> p = producer(ProducerConfig.builder().maxBlockMs(2000))) {
            Throwable e = assertThrows(
                            ExecutionException.class, () -> p.send(new ProducerRecord<>("small", "x".repeat(1000)))
                                    .get())
                    .getCause();
            assertInstanceOf(RecordTooLargeException.class, e);
            assertTrue(e.getMessage().contains("500") && e.getMessage().contains("max.message.bytes"), e.getMessage());

            e = assertThrows(ExecutionException.class, () -> p.send(new ProducerRecord<>("small", 3, "k", "v"))
                            .get())
                    .getCause();
            assertInstanceOf(UnknownTopicOrPartitionException.class, e);
            assertTrue(e.getMessage().contains("Partition 3") && e.getMessage().contains("small"), e.getMessage());

            e = assertThrows(ExecutionException.class, () -> p.send(new ProducerRecord<>("bad topic!", "v"))
                            .get())
                    .getCause();
            assertInstanceOf(InvalidTopicException.class, e);
            assertTrue(e.getMessage().contains("bad topic!"), e.getMessage());
            p.close();
            assertThrows(IllegalClientStateException.class, () -> p.send(new ProducerRecord<>("small", "v")));
        }
        try (Consumer<String, String> c =
                consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.NONE))) {
            c.assign(List.of(new TopicPartition("small", 0)));
            var e = assertThrows(NoOffsetForPartitionException.class, () -> c.poll(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("small-0"));
        }
    }

    @Test
    void adminManagesTopicsPartitionsAndOffsets() throws Exception {
        createTopic("adm", 2, Map.of("retention.ms", "3600000"));
        var dup = assertThrows(
                ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("adm", 1))).all().get());
        assertInstanceOf(TopicExistsException.class, dup.getCause());
        var bad = assertThrows(
                ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("..", 1))).all().get());
        assertInstanceOf(InvalidTopicException.class, bad.getCause());
        assertTrue(bad.getCause().getMessage().contains(".."));
        var longName = "a".repeat(250);
        assertInstanceOf(
                InvalidTopicException.class,
                assertThrows(ExecutionException.class, () -> admin.createTopics(List.of(new NewTopic(longName, 1)))
                                .all()
                                .get())
                        .getCause());

        assertTrue(admin.listTopics().get().contains("adm"));
        var described = admin.describeTopics(List.of("adm")).all().get().get("adm");
        assertEquals(2, described.partitionCount());
        assertEquals("3600000", described.configs().get("retention.ms"));

        admin.createPartitions(Map.of("adm", 4)).all().get();
        assertEquals(
                4, admin.describeTopics(List.of("adm")).all().get().get("adm").partitionCount());
        var decrease = assertThrows(
                ExecutionException.class,
                () -> admin.createPartitions(Map.of("adm", 3)).all().get());
        assertInstanceOf(InvalidPartitionsException.class, decrease.getCause());

        try (Producer<String, String> p = producer(ProducerConfig.builder())) {
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>("adm", 3, 5_000L + i, null, "v" + i));
            }
        }
        TopicPartition tp = new TopicPartition("adm", 3);
        assertEquals(
                0,
                admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                        .all()
                        .get()
                        .get(tp)
                        .offset());
        assertEquals(
                10,
                admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                        .all()
                        .get()
                        .get(tp)
                        .offset());
        assertEquals(
                4,
                admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(5_004L)))
                        .all()
                        .get()
                        .get(tp)
                        .offset());
        assertEquals(1, admin.describeCluster().get().nodes().size());

        admin.deleteTopics(List.of("adm")).all().get();
        assertTrue(!admin.listTopics().get().contains("adm"));
        assertInstanceOf(
                UnknownTopicOrPartitionException.class,
                assertThrows(
                                ExecutionException.class,
                                () -> admin.describeTopics(List.of("adm")).all().get())
                        .getCause());
    }

    @Test
    void consumerSeeksAndLooksUpOffsets() throws Exception {
        createTopic("seek", 1, Map.of());
        try (Producer<String, String> p = producer(ProducerConfig.builder())) {
            for (int i = 0; i < 20; i++) {
                p.send(new ProducerRecord<>("seek", 0, 10_000L + i, null, "v" + i));
            }
        }
        TopicPartition tp = new TopicPartition("seek", 0);
        try (Consumer<String, String> c = consumer(ConsumerConfig.builder())) {
            c.assign(List.of(tp));
            assertEquals(20, c.position(tp)); // latest
            assertEquals(Map.of(tp, 0L), c.beginningOffsets(List.of(tp)));
            assertEquals(Map.of(tp, 20L), c.endOffsets(List.of(tp)));
            assertEquals(7, c.offsetsForTimes(Map.of(tp, 10_007L)).get(tp).offset());
            c.seekToBeginning(List.of(tp));
            assertEquals(0, c.position(tp));
            c.seek(tp, 15);
            List<ConsumerRecord<String, String>> rest = consume(c, 5);
            assertEquals("v15", rest.get(0).value());
            assertEquals(1, c.partitionsFor("seek").size());
            assertTrue(c.listTopics().containsKey("seek"));
        }
    }
}
