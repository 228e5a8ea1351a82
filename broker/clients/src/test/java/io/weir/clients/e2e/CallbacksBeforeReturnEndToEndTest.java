package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.internals.ConsumerImpl;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The common pattern "count acknowledgements in the callback, then call the blocking method, then read the
 * count" against a real embedded broker: {@code flush()}, {@code commitTransaction()} and the consumer's
 * {@code commitSync()} (for earlier {@code commitAsync} callbacks) return only after the callbacks have run.
 */
class CallbacksBeforeReturnEndToEndTest {
    private static final int RECORDS = 3000;
    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void open() throws Exception {
        broker = EmbeddedBroker.open(new Properties());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic("t", 2, Map.of()))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    @Test
    void flushReturnsAfterEveryCallbackRan() {
        AtomicInteger acknowledged = new AtomicInteger();
        try (Producer<String, String> producer = Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .lingerMs(5)
                        .build(),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("t", "k" + i, "v" + i), (metadata, exception) -> {
                    if (exception == null) {
                        acknowledged.incrementAndGet();
                    }
                });
            }
            producer.flush();
            assertEquals(RECORDS, acknowledged.get(), "acknowledgements counted by callbacks when flush() returned");
        }
    }

    @Test
    void commitTransactionReturnsAfterEveryCallbackRan() {
        AtomicInteger acknowledged = new AtomicInteger();
        try (Producer<String, String> producer = Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .transactionalId("callbacks")
                        .lingerMs(5)
                        .build(),
                new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("t", "k" + i, "v" + i), (metadata, exception) -> {
                    if (exception == null) {
                        acknowledged.incrementAndGet();
                    }
                });
            }
            producer.commitTransaction();
            assertEquals(
                    RECORDS,
                    acknowledged.get(),
                    "acknowledgements counted by callbacks when commitTransaction() returned");
        }
    }

    @Test
    void abortTransactionReturnsAfterEveryCallbackRan() {
        AtomicInteger answered = new AtomicInteger();
        try (Producer<String, String> producer = Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .transactionalId("aborting")
                        .lingerMs(5)
                        .build(),
                new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(
                        new ProducerRecord<>("t", "k" + i, "v" + i),
                        (metadata, exception) -> answered.incrementAndGet());
            }
            producer.abortTransaction();
            assertEquals(
                    RECORDS,
                    answered.get(),
                    "callbacks (acknowledged or aborted) run when abortTransaction() returned");
        }
    }

    @Test
    void commitSyncReturnsAfterTheCallbacksOfEarlierAsyncCommitsRan() {
        TopicPartition tp = new TopicPartition("t", 0);
        AtomicInteger completed = new AtomicInteger();
        ConsumerConfig config = ConsumerConfig.from(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "g", "enable.auto.commit", "false"));
        try (Consumer<String, String> consumer = new ConsumerImpl<>(
                config,
                new StringDeserializer(),
                new StringDeserializer(),
                answeringAsyncCommitsWithTheSyncOne(Transports.connect(List.of(broker.bootstrapServers())), 5),
                Time.SYSTEM)) {
            consumer.assign(List.of(tp));
            for (int i = 0; i < 5; i++) {
                consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(i)), (offsets, exception) -> {
                    if (exception == null) {
                        completed.incrementAndGet();
                    }
                });
            }
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(5)));
            assertEquals(5, completed.get(), "async commits whose callbacks had run when commitSync() returned");
        }
    }

    /**
     * The broker, except that the answers to the first {@code held} offset commits arrive together with the answer
     * to the next one: the async commits are still in flight when commitSync starts, whatever the timing.
     */
    private static BrokerApi answeringAsyncCommitsWithTheSyncOne(BrokerApi real, int held) {
        AtomicInteger commits = new AtomicInteger();
        CompletableFuture<Void> release = new CompletableFuture<>();
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("offsetCommit")) {
                        return result;
                    }
                    CompletableFuture<?> answer = (CompletableFuture<?>) result;
                    if (commits.getAndIncrement() < held) {
                        return answer.thenCombine(release, (response, ignored) -> response);
                    }
                    return answer.whenComplete((response, failure) -> release.complete(null));
                });
    }
}
