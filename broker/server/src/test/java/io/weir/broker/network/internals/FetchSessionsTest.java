package io.weir.broker.network.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.broker.network.ListenerConfig;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.utils.Time;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch sessions (KIP-227) over the listener: on the wire, and as kafka-clients' consumer uses them. */
class FetchSessionsTest {
    private static final BrokerIdentity ME = new BrokerIdentity(0, "cluster", "127.0.0.1", 9092);
    private static final int PARTITIONS = 40;
    /** kafka-clients log every client's configuration at INFO; warnings are what a test run should show. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOG.setLevel(java.util.logging.Level.parse(System.getProperty("weir.test.kafka.log", "WARNING")));
    }

    @TempDir
    Path dir;

    /** A broker whose every partition is at high watermark 5 with no records past any offset. */
    private static BrokerApi quietBroker(List<FetchRequest> asked) {
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, m, args) -> {
                    if (!m.getName().equals("fetch")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    FetchRequest request = (FetchRequest) args[0];
                    asked.add(request);
                    Map<TopicPartition, FetchResponse.PartitionData> out = new HashMap<>();
                    request.partitions()
                            .keySet()
                            .forEach(tp -> out.put(
                                    tp,
                                    new FetchResponse.PartitionData(
                                            ApiError.NONE, 5, 5, 0, ByteBuffer.allocate(0), List.of())));
                    return CompletableFuture.completedFuture(new FetchResponse(out));
                });
    }

    private static FetchRequestData fetch(int sessionId, int epoch, String topic, int... partitions) {
        FetchRequestData body = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxBytes(1 << 20)
                .setSessionId(sessionId)
                .setSessionEpoch(epoch);
        if (partitions.length > 0) {
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(topic);
            for (int p : partitions) {
                t.partitions()
                        .add(new FetchRequestData.FetchPartition()
                                .setPartition(p)
                                .setPartitionMaxBytes(1024));
            }
            body.topics().add(t);
        }
        return body;
    }

    private static FetchResponseData answer(KafkaApis apis, FetchRequestData body) {
        return TranslationDetailsTest.answer(apis, ApiKeys.FETCH, (short) 12, body);
    }

    @Test
    void anIncrementalFetchReadsTheWholeSessionAndAnswersOnlyWhatChanged() {
        List<FetchRequest> asked = new ArrayList<>();
        FetchSessionCache cache = new FetchSessionCache(10, Time.SYSTEM, () -> 77);
        KafkaApis apis = new KafkaApis(quietBroker(asked), () -> ME, 1 << 20, cache);

        FetchResponseData full = answer(apis, fetch(0, 0, "t", 0, 1, 2));
        assertEquals(77, full.sessionId(), "a full fetch at epoch 0 creates a session");
        assertEquals(3, full.responses().get(0).partitions().size());

        FetchResponseData incremental = answer(apis, fetch(77, 1, "t"));
        assertEquals(77, incremental.sessionId());
        assertEquals(0, incremental.errorCode());
        assertTrue(incremental.responses().isEmpty(), "nothing changed, so no partition is answered");
        assertEquals(3, asked.get(1).partitions().size(), "but every partition of the session was read");

        FetchRequestData forget = fetch(77, 2, "t");
        forget.forgottenTopicsData()
                .add(new FetchRequestData.ForgottenTopic().setTopic("t").setPartitions(List.of(1)));
        answer(apis, forget);
        assertEquals(
                List.of(new TopicPartition("t", 0), new TopicPartition("t", 2)),
                List.copyOf(asked.get(2).partitions().keySet()));
    }

    @Test
    void aWrongEpochOrAnUnknownSessionIsAnsweredWithKafkasErrorsAndEpochMinusOneCloses() {
        FetchSessionCache cache = new FetchSessionCache(10, Time.SYSTEM, () -> 77);
        KafkaApis apis = new KafkaApis(quietBroker(new ArrayList<>()), () -> ME, 1 << 20, cache);
        answer(apis, fetch(0, 0, "t", 0));
        answer(apis, fetch(77, 1, "t"));

        FetchResponseData replayed = answer(apis, fetch(77, 1, "t"));
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), replayed.errorCode());
        assertEquals(0, replayed.sessionId());
        FetchResponseData unknown = answer(apis, fetch(78, 1, "t"));
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), unknown.errorCode());

        FetchResponseData closed = answer(apis, fetch(77, -1, "t", 0));
        assertEquals(0, closed.sessionId(), "epoch -1 closes the session and creates none");
        assertEquals(1, closed.responses().get(0).partitions().size(), "and is answered as a full fetch");
        assertEquals(0, cache.size());
        assertEquals(
                Errors.FETCH_SESSION_ID_NOT_FOUND.code(),
                answer(apis, fetch(77, 2, "t")).errorCode());
    }

    @Test
    void anIncrementalAnswerWhoseSessionMovedOnOrClosedWhileTheBrokerReadIsAnErrorAsInKafka() {
        FetchSessionCache cache = new FetchSessionCache(10, Time.SYSTEM, () -> 77);
        Map<TopicPartition, FetchRequest.PartitionFetch> asks =
                Map.of(new TopicPartition("t", 0), new FetchRequest.PartitionFetch(0, 1000));
        assertEquals(
                77,
                cache.complete(cache.newContext(0, 0, asks, List.of()), Map.of())
                        .sessionId());

        var first = cache.newContext(77, 1, Map.of(), List.of());
        var second = cache.newContext(77, 2, Map.of(), List.of()); // served while the first one's read is under way
        FetchSessionCache.Answer stale = cache.complete(first, Map.of());
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH, stale.error());
        assertTrue(stale.included().isEmpty());
        assertEquals(Errors.NONE, cache.complete(second, Map.of()).error());

        var third = cache.newContext(77, 3, Map.of(), List.of());
        cache.newContext(77, -1, asks, List.of()); // closes the session
        FetchSessionCache.Answer closed = cache.complete(third, Map.of());
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND, closed.error());
        assertEquals(0, closed.sessionId());
    }

    @Test
    void anIdSourceThatKeepsRepeatingATakenIdCreatesNoSessionInsteadOfSpinning() {
        FetchSessionCache cache = new FetchSessionCache(10, Time.SYSTEM, () -> 77);
        Map<TopicPartition, FetchRequest.PartitionFetch> asks =
                Map.of(new TopicPartition("t", 0), new FetchRequest.PartitionFetch(0, 1000));
        assertEquals(
                77,
                cache.complete(cache.newContext(0, 0, asks, List.of()), Map.of())
                        .sessionId());
        assertEquals(
                0,
                cache.complete(cache.newContext(0, 0, asks, List.of()), Map.of())
                        .sessionId());
        assertEquals(1, cache.size());
    }

    @Test
    void withNoSlotsEveryFetchIsFull() {
        FetchSessionCache cache = new FetchSessionCache(0, Time.SYSTEM, () -> 77);
        KafkaApis apis = new KafkaApis(quietBroker(new ArrayList<>()), () -> ME, 1 << 20, cache);
        assertEquals(0, answer(apis, fetch(0, 0, "t", 0)).sessionId());
    }

    @Test
    void aKafkaConsumerOfManyPartitionsUsesOneIncrementalSessionAndClosesIt() throws Exception {
        Properties props = new Properties();
        props.put("log.dirs", dir.toString());
        try (EmbeddedBroker broker = EmbeddedBroker.open(props);
                KafkaListener listener = KafkaListener.start(
                        ListenerConfig.parse(List.of("PLAINTEXT://127.0.0.1:0"), List.of(), 1 << 20),
                        broker.api(),
                        0,
                        "fetch-sessions")) {
            String bootstrap = "127.0.0.1:" + listener.boundAddress().getPort();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("many", PARTITIONS, (short) 1)))
                        .all()
                        .get();
            }
            produce(bootstrap, 0, 10);
            List<TopicPartition> all = new ArrayList<>();
            List<org.apache.kafka.common.TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition("many", p));
                assigned.add(new org.apache.kafka.common.TopicPartition("many", p));
            }
            FetchSessionCache sessions = listener.fetchSessions();
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                assertEquals(
                        PARTITIONS * 10, pollUntil(consumer, PARTITIONS * 10).size());
                assertEquals(1, sessions.size(), "one session for the consumer");
                int id = sessions.sessionIds().get(0);
                assertEquals(Set.copyOf(all), Set.copyOf(sessions.partitionsOf(id)));
                int epochAfterFirstRead = sessions.expectedEpoch(id);
                assertTrue(epochAfterFirstRead > 1, "the consumer sent incremental fetches");

                // More records on a few partitions: each arrives once, in order, through the same session.
                produce(bootstrap, 10, 5);
                List<ConsumerRecord<String, String>> more = pollUntil(consumer, PARTITIONS * 5);
                assertEquals(PARTITIONS * 5, more.size());
                for (ConsumerRecord<String, String> r : more) {
                    assertEquals("v" + r.partition() + "-" + r.offset(), r.value());
                }
                assertEquals(List.of(id), sessions.sessionIds(), "still the same session");
                assertNotEquals(epochAfterFirstRead, sessions.expectedEpoch(id));

                // Fewer partitions: the consumer forgets the rest in its session.
                consumer.assign(assigned.subList(0, 5));
                produce(bootstrap, 15, 1);
                assertEquals(5, pollUntil(consumer, 5).size());
                await(
                        () -> sessions.sessionIds().contains(id)
                                && sessions.partitionsOf(id).size() == 5,
                        "the session to hold the 5 partitions still assigned");
            }
            await(() -> sessions.size() == 0, "the consumer's close to close its session (epoch -1)");
        }
    }

    private static void produce(String bootstrap, int firstOffset, int perPartition) throws Exception {
        Map<String, Object> p = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG,
                "0");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = firstOffset; i < firstOffset + perPartition; i++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    producer.send(new ProducerRecord<>("many", partition, null, "v" + partition + "-" + i));
                }
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                // Small answers: the 40 partitions take many fetches, most of them incremental.
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                "256",
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                "2048",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                "classic");
        return new KafkaConsumer<>(p);
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
