package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.DeletedRecords;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.RecordsToDelete;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.PolicyViolationException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Admin.deleteRecords} against a real broker, as a streams runtime purges a repartition topic. */
class DeleteRecordsEndToEndTest {
    private static final TopicPartition TP = new TopicPartition("app-repartition", 0);

    @TempDir
    Path dir;

    private EmbeddedBroker open() {
        return EmbeddedBroker.open(BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, dir.toString())));
    }

    private static void produce(EmbeddedBroker broker, int count) throws Exception {
        try (Producer<String, String> producer = Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .build(),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TP.topic(), 0, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<Long> consumeFromTheBeginning(EmbeddedBroker broker, int expected) {
        try (Consumer<String, String> consumer = Consumer.create(
                ConsumerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                        .build(),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            List<Long> offsets = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (offsets.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    offsets.add(record.offset());
                }
            }
            assertEquals(Map.of(TP, (long) offsets.get(0)), consumer.beginningOffsets(List.of(TP)));
            return offsets;
        }
    }

    @Test
    void consumersStartAtTheLowWatermarkAndItSurvivesARestart() throws Exception {
        try (EmbeddedBroker broker = open();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TP.topic(), 1, Map.of())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            produce(broker, 10);

            DeletedRecords deleted = admin.deleteRecords(Map.of(TP, RecordsToDelete.beforeOffset(6)))
                    .values()
                    .get(TP)
                    .get(30, TimeUnit.SECONDS);

            assertEquals(6, deleted.lowWatermark());
            assertEquals(List.of(6L, 7L, 8L, 9L), consumeFromTheBeginning(broker, 4));
        }
        try (EmbeddedBroker broker = open();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertEquals(
                    6,
                    admin.listOffsets(Map.of(TP, OffsetSpec.earliest()))
                            .values()
                            .get(TP)
                            .get(30, TimeUnit.SECONDS)
                            .offset());
            assertEquals(
                    10,
                    admin.deleteRecords(Map.of(TP, RecordsToDelete.beforeOffset(RecordsToDelete.HIGH_WATERMARK)))
                            .values()
                            .get(TP)
                            .get(30, TimeUnit.SECONDS)
                            .lowWatermark());
        }
    }

    /**
     * A streams thread writes a repartition topic transactionally and purges what it consumed after each commit: the
     * purge moves the log start past every batch of its producer, and the producer's next batch must still be taken
     * (Kafka keeps producer state until it expires; forgetting it answered UNKNOWN_PRODUCER_ID here once).
     */
    @Test
    void aTransactionalProducerGoesOnWritingAfterEverythingItWroteWasDeleted() throws Exception {
        try (EmbeddedBroker broker = open();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
                Producer<String, String> producer = Producer.create(
                        Map.of("bootstrap.servers", broker.bootstrapServers(), "transactional.id", "purger"),
                        new StringSerializer(),
                        new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(TP.topic(), 1, Map.of())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            producer.initTransactions();
            for (int round = 0; round < 3; round++) {
                producer.beginTransaction();
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(TP.topic(), 0, "k", "r" + round + "-" + i));
                }
                producer.commitTransaction();
                admin.deleteRecords(Map.of(TP, RecordsToDelete.beforeOffset(RecordsToDelete.HIGH_WATERMARK)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            assertEquals(
                    18,
                    admin.listOffsets(Map.of(TP, OffsetSpec.latest()))
                            .values()
                            .get(TP)
                            .get(30, TimeUnit.SECONDS)
                            .offset());
        }
    }

    @Test
    void refusalsArriveAsTheTypedExceptionsOfTheirPartitions() throws Exception {
        TopicPartition unknown = new TopicPartition(TP.topic(), 5);
        TopicPartition compacted = new TopicPartition("changelog", 0);
        try (EmbeddedBroker broker = open();
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(TP.topic(), 1, Map.of()),
                            new NewTopic(compacted.topic(), 1, Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            produce(broker, 3);

            var result = admin.deleteRecords(Map.of(
                    TP, RecordsToDelete.beforeOffset(4),
                    unknown, RecordsToDelete.beforeOffset(0),
                    compacted, RecordsToDelete.beforeOffset(0)));

            assertInstanceOf(
                    OffsetOutOfRangeException.class, causeOf(result.values().get(TP)));
            assertInstanceOf(
                    UnknownTopicOrPartitionException.class,
                    causeOf(result.values().get(unknown)));
            assertInstanceOf(
                    PolicyViolationException.class, causeOf(result.values().get(compacted)));
        }
    }

    private static Throwable causeOf(java.util.concurrent.CompletableFuture<DeletedRecords> future) {
        return assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS))
                .getCause();
    }
}
