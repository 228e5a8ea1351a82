package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Spring for Apache Kafka's transactions against a Weir broker's Kafka listener: {@code
 * KafkaTemplate.executeInTransaction} committing and rolling back, and a listener container driven by a {@link
 * KafkaTransactionManager} doing consume-transform-produce (output and input offsets in one transaction, Spring's
 * EOS mode V2), where one record's first attempt throws after sending its output. A {@code read_committed} reader
 * must see every output once and nothing of the aborted attempt; a {@code read_uncommitted} reader shows the
 * aborted output really was written.
 */
class SpringKafkaTransactionsOnWeirTest {
    private static SpringOnWeir weir;

    @BeforeAll
    static void openBroker(@TempDir Path data) {
        weir = SpringOnWeir.open(data);
    }

    @AfterAll
    static void closeBroker() {
        if (weir != null) {
            weir.close();
        }
    }

    @Test
    void executeInTransactionCommitsOnReturnAndAbortsWhenTheCallbackThrows() throws Exception {
        weir.createTopic("template-txn", 1);
        DefaultKafkaProducerFactory<String, String> factory = new DefaultKafkaProducerFactory<>(weir.producerConfig());
        factory.setTransactionIdPrefix("spring-template-");
        try {
            KafkaTemplate<String, String> template = new KafkaTemplate<>(factory);
            template.executeInTransaction(t -> {
                t.send("template-txn", "a", "committed-1");
                t.send("template-txn", "b", "committed-2");
                return null;
            });
            IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> template.executeInTransaction(t -> {
                        t.send("template-txn", "c", "aborted");
                        t.flush(); // the record is in the log before the abort, not merely buffered
                        throw new IllegalStateException("rolled back on purpose");
                    }));
            assertEquals("rolled back on purpose", thrown.getMessage());
            template.executeInTransaction(t -> t.send("template-txn", "d", "committed-3"));
        } finally {
            factory.destroy();
        }

        assertEquals(
                List.of("committed-1", "committed-2", "committed-3"),
                values(weir.readAll("template-txn", 1, "read_committed")));
        assertEquals(
                List.of("committed-1", "committed-2", "aborted", "committed-3"),
                values(weir.readAll("template-txn", 1, "read_uncommitted")));
    }

    @Test
    void transactionalContainerAbortsAFailedAttemptAndCommitsTheRedeliveredRecordOnce() throws Exception {
        weir.createTopic("ctp-in", 2);
        weir.createTopic("ctp-out", 2);
        int records = 20;
        String poison = "v7";
        DefaultKafkaProducerFactory<String, String> input = new DefaultKafkaProducerFactory<>(weir.producerConfig());
        try {
            KafkaTemplate<String, String> template = new KafkaTemplate<>(input);
            for (int i = 0; i < records; i++) {
                template.send("ctp-in", i % 2, "k" + i, "v" + i);
            }
            template.flush();
        } finally {
            input.destroy();
        }

        DefaultKafkaProducerFactory<String, String> producers =
                new DefaultKafkaProducerFactory<>(weir.producerConfig());
        producers.setTransactionIdPrefix("spring-ctp-");
        KafkaTemplate<String, String> output = new KafkaTemplate<>(producers);
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        ContainerProperties properties = new ContainerProperties("ctp-in");
        properties.setGroupId("ctp");
        properties.setKafkaAwareTransactionManager(new KafkaTransactionManager<>(producers));
        properties.setMessageListener((MessageListener<String, String>) record -> {
            int attempt = attempts.merge(record.value(), 1, Integer::sum);
            // Joins the container's transaction: sent with the input offsets, or aborted with them.
            output.send("ctp-out", record.key(), record.value().toUpperCase());
            if (record.value().equals(poison) && attempt == 1) {
                output.flush(); // the aborted output reaches the log, so read_committed has something to skip
                throw new IllegalStateException("first attempt at " + poison + " fails on purpose");
            }
        });
        ConcurrentMessageListenerContainer<String, String> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(weir.consumerConfig("ctp", "read_committed")), properties);
        container.setBeanName("ctp");
        // Retry the failed record at once (the default backs off 9 times with no delay too; said here on purpose).
        container.setAfterRollbackProcessor(new DefaultAfterRollbackProcessor<>(new FixedBackOff(0, 3)));
        try {
            container.start();
            SpringOnWeir.await(
                    () -> committedInput().equals(Map.of(0, 10L, 1, 10L)),
                    "the container to commit every input offset");
        } finally {
            container.stop();
            producers.destroy();
        }

        List<String> expected =
                IntStream.range(0, records).mapToObj(i -> "V" + i).sorted().toList();
        List<String> committed = values(weir.readAll("ctp-out", 2, "read_committed"));
        assertEquals(expected, committed.stream().sorted().toList(), "committed output: each input once");
        assertEquals(2, attempts.get(poison), "attempts at " + poison + ": one aborted, one committed");
        List<String> uncommitted = values(weir.readAll("ctp-out", 2, "read_uncommitted"));
        assertTrue(
                uncommitted.stream().filter(v -> v.equals(poison.toUpperCase())).count() >= 2,
                "the aborted attempt's output is in the log: " + uncommitted);
    }

    private static Map<Integer, Long> committedInput() {
        try {
            return weir.committed("ctp", "ctp-in");
        } catch (Exception e) {
            throw new AssertionError("Listing the committed offsets of group ctp failed", e);
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }
}
