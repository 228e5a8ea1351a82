package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients on a compacted topic the cleaner has rewritten: a consumer reading from the start gets every
 * key's latest committed value at its original offset, skips the gaps, the emptied batches and the
 * placeholders, reaches the end, and never sees an aborted record, under both isolation levels.
 */
class CompactedTopicConsumerTest {
    private static final TopicPartition TP = new TopicPartition("table", 0);

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void open() throws Exception {
        Properties props = new Properties();
        props.put("log.dirs", dir.toString());
        props.put("log.cleaner.enable", "false");
        props.put("log.segment.delete.delay.ms", "0");
        broker = EmbeddedBroker.open(props);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(
                        TP.topic(),
                        1,
                        Map.of(
                                "cleanup.policy",
                                "compact",
                                "segment.bytes",
                                "4096",
                                "min.cleanable.dirty.ratio",
                                "0.01"))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    @Test
    void aConsumerReadsTheLatestCommittedValueOfEveryKeyAfterCleaning() throws Exception {
        Map<String, String> expected = new HashMap<>();
        Random random = new Random(11);
        int written = 0;
        try (Producer<String, String> plain = Producer.create(
                        ProducerConfig.builder()
                                .bootstrapServers(broker.bootstrapServers())
                                .compressionType(CompressionType.LZ4)
                                .lingerMs(0)
                                .build(),
                        new StringSerializer(),
                        new StringSerializer());
                Producer<String, String> txn = Producer.create(
                        ProducerConfig.builder()
                                .bootstrapServers(broker.bootstrapServers())
                                .transactionalId("writer")
                                .lingerMs(0)
                                .build(),
                        new StringSerializer(),
                        new StringSerializer())) {
            txn.initTransactions();
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 10; i++) {
                    String key = "k" + random.nextInt(30);
                    String value = random.nextInt(8) == 0 ? null : "plain-" + round + "-" + i;
                    plain.send(new ProducerRecord<>(TP.topic(), key, value)).get(30, TimeUnit.SECONDS);
                    expected.put(key, value);
                    written++;
                }
                boolean commit = round % 3 != 0;
                txn.beginTransaction();
                Map<String, String> inTxn = new HashMap<>();
                for (int i = 0; i < 5; i++) {
                    String key = "k" + random.nextInt(30);
                    String value = "txn-" + round + "-" + i;
                    txn.send(new ProducerRecord<>(TP.topic(), key, value));
                    inTxn.put(key, value);
                    written++;
                }
                txn.flush();
                if (commit) {
                    txn.commitTransaction();
                    expected.putAll(inTxn);
                } else {
                    txn.abortTransaction();
                }
            }
            // push the records above into rolled segments: the cleaner never touches the active one
            for (int i = 0; i < 100; i++) {
                plain.send(new ProducerRecord<>(TP.topic(), "pad", "x".repeat(100)))
                        .get(30, TimeUnit.SECONDS);
            }
            expected.put("pad", "x".repeat(100));
        }
        Map<String, String> beforeCommitted = lastValues(IsolationLevel.READ_COMMITTED, new ArrayList<>());
        assertEquals(withoutTombstones(expected), withoutTombstones(beforeCommitted));

        assertTrue(broker.runLogCleaner() > 0);

        for (IsolationLevel isolation : IsolationLevel.values()) {
            List<Long> offsets = new ArrayList<>();
            Map<String, String> after = lastValues(isolation, offsets);
            assertEquals(withoutTombstones(expected), withoutTombstones(after), isolation.configName());
            for (int i = 1; i < offsets.size(); i++) {
                assertTrue(offsets.get(i) > offsets.get(i - 1), "offsets strictly increase");
            }
            assertTrue(
                    offsets.size() < written / 3,
                    isolation + ": " + offsets.size() + " of " + written + " records left");
            assertTrue(
                    after.values().stream()
                            .noneMatch(v -> v != null && v.startsWith("txn-") && !expected.containsValue(v)),
                    "no aborted record");
        }
    }

    private static Map<String, String> withoutTombstones(Map<String, String> values) {
        Map<String, String> out = new HashMap<>(values);
        out.values().removeIf(v -> v == null);
        return out;
    }

    /** Each key's last value read from the start to the end offset; collects the offsets read. */
    private Map<String, String> lastValues(IsolationLevel isolation, List<Long> offsets) {
        Map<String, String> last = new HashMap<>();
        try (Consumer<String, String> consumer = Consumer.create(
                Map.of(
                        "bootstrap.servers",
                        broker.bootstrapServers(),
                        "isolation.level",
                        isolation.configName(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            long end = consumer.endOffsets(List.of(TP)).get(TP);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(TP) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            isolation + " read did not reach " + end + "; at " + consumer.position(TP));
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    last.put(record.key(), record.value());
                    offsets.add(record.offset());
                }
            }
            assertEquals(end, consumer.position(TP));
        }
        return last;
    }
}
