package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.broker.TransactionTestSupport;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.clients.producer.internals.ProducerImpl;
import io.weir.common.TopicPartition;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idempotent and transactional producer against a real embedded broker. These need the broker's side of
 * issue 4 — sequence checks and duplicate detection on the partitions, the transaction coordinator, markers
 * and read_committed fetches — which is being built in parallel; each test is disabled until that lands.
 */
class TransactionalProducerEndToEndTest {
    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void open() throws Exception {
        broker = EmbeddedBroker.open(new Properties());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic("out", 2, Map.of()), new NewTopic("in", 1, Map.of())))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    private Producer<String, String> transactional(String id) {
        return Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .transactionalId(id)
                        .lingerMs(0)
                        .build(),
                new StringSerializer(),
                new StringSerializer());
    }

    private Consumer<String, String> readCommitted() {
        return Consumer.create(
                ConsumerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                        .isolationLevel(io.weir.common.IsolationLevel.READ_COMMITTED)
                        .build(),
                new StringDeserializer(),
                new StringDeserializer());
    }

    /** Polls until {@code expected} records came, or 30 s passed; then polls once more to catch any extra. */
    private static List<String> values(Consumer<String, String> c, int expected) {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (out.size() < expected && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
        }
        c.poll(Duration.ofMillis(500)).forEach(r -> out.add(r.value()));
        return out;
    }

    /** The broker, except that the first answer to every produce request for "out" is replaced by a timeout after the write. */
    private static BrokerApi losingFirstAnswers(BrokerApi real) {
        AtomicInteger produces = new AtomicInteger();
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("produce") || produces.getAndIncrement() % 2 == 1) {
                        return result;
                    }
                    return ((CompletableFuture<?>) result).thenApply(response -> {
                        Map<TopicPartition, ProduceResponse.PartitionResponse> lost = new HashMap<>();
                        ((ProduceResponse) response)
                                .partitions()
                                .keySet()
                                .forEach(tp -> lost.put(
                                        tp,
                                        ProduceResponse.PartitionResponse.error(
                                                new ApiError(Errors.REQUEST_TIMED_OUT, "answer lost"))));
                        return new ProduceResponse(lost);
                    });
                });
    }

    @Test
    void retriesOfWrittenBatchesLeaveOneCopyInOrder() throws Exception {
        ProducerConfig config = ProducerConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .lingerMs(0)
                .retryBackoffMs(1)
                .build();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> p = new ProducerImpl<>(
                config,
                new StringSerializer(),
                new StringSerializer(),
                losingFirstAnswers(Transports.connect(List.of(broker.bootstrapServers()))),
                Time.SYSTEM)) {
            for (int i = 0; i < 200; i++) {
                futures.add(p.send(new ProducerRecord<>("out", 0, null, "v" + i)));
            }
            p.flush();
        }
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(i, futures.get(i).get().offset(), "a resend is answered with the original offset");
        }
        try (Consumer<String, String> c = readCommitted()) {
            c.assign(List.of(new TopicPartition("out", 0)));
            List<String> values = values(c, 200);
            assertEquals(200, values.size(), values.toString());
            for (int i = 0; i < 200; i++) {
                assertEquals("v" + i, values.get(i));
            }
        }
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnly() {
        try (Producer<String, String> p = transactional("tx-e2e")) {
            p.initTransactions();
            p.beginTransaction();
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>("out", i % 2, null, "committed-" + i));
            }
            p.commitTransaction();
            p.beginTransaction();
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>("out", i % 2, null, "aborted-" + i));
            }
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>("out", 0, null, "committed-last"));
            p.commitTransaction();
        }
        try (Consumer<String, String> c = readCommitted()) {
            c.assign(List.of(new TopicPartition("out", 0), new TopicPartition("out", 1)));
            List<String> values = values(c, 11);
            assertEquals(11, values.size(), values.toString());
            assertTrue(values.stream().allMatch(v -> v.startsWith("committed-")), values.toString());
        }
    }

    @Test
    void offsetsSentWithATransactionAreCommittedWithIt() throws Exception {
        TopicPartition in = new TopicPartition("in", 0);
        try (Producer<String, String> p = transactional("tx-offsets")) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("out", 0, null, "x"));
            p.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(7)), new ConsumerGroupMetadata("copy"));
            p.abortTransaction();
            assertTrue(
                    admin.listConsumerGroupOffsets("copy")
                            .get(30, TimeUnit.SECONDS)
                            .isEmpty(),
                    "an aborted transaction commits no offsets");
            p.beginTransaction();
            p.send(new ProducerRecord<>("out", 0, null, "y"));
            p.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(8)), new ConsumerGroupMetadata("copy"));
            p.commitTransaction();
        }
        // commitTransaction returns once the decision is durable (Kafka's EndTxn); the offsets become visible
        // when the COMMIT marker reaches __consumer_offsets, a moment later.
        TransactionTestSupport.waitUntil(
                () -> {
                    try {
                        OffsetAndMetadata committed = admin.listConsumerGroupOffsets("copy")
                                .get(30, TimeUnit.SECONDS)
                                .get(in);
                        return committed != null && committed.offset() == 8;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "offset 8 of " + in + " committed with the transaction");
    }

    @Test
    void aNewInstanceFencesTheOldOne() throws Exception {
        try (Producer<String, String> zombie = transactional("tx-fence");
                Producer<String, String> next = transactional("tx-fence")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            // Written before the new instance fences it: a batch arriving after the fence would be refused at the
            // partition with INVALID_PRODUCER_EPOCH, an abortable error (KIP-588), not the fencing this test is about.
            zombie.send(new ProducerRecord<>("out", 0, null, "zombie")).get(30, TimeUnit.SECONDS);
            next.initTransactions();
            var e = assertThrows(ProducerFencedException.class, zombie::commitTransaction);
            assertTrue(e.getMessage().contains("tx-fence"), e.getMessage());
            next.beginTransaction();
            next.send(new ProducerRecord<>("out", 0, null, "next"));
            next.commitTransaction();
        }
        try (Consumer<String, String> c = readCommitted()) {
            c.assign(List.of(new TopicPartition("out", 0)));
            assertEquals(List.of("next"), values(c, 1));
        }
    }

    @Test
    void anIdempotentProducerGetsItsIdFromTheBrokerAndDelivers() throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> p = Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .lingerMs(0)
                        .build(),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                futures.add(p.send(new ProducerRecord<>("out", 1, null, "v" + i)));
            }
        }
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(i, futures.get(i).get().offset());
        }
        try (Consumer<String, String> c = Consumer.create(
                ConsumerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                        .build(),
                new StringDeserializer(),
                new StringDeserializer())) {
            c.assign(List.of(new TopicPartition("out", 1)));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < 50 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(50, records.size());
        }
    }
}
