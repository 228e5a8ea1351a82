package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.SendResult;

/**
 * Spring for Apache Kafka 4.0 (on kafka-clients 4.1.1) against a Weir broker's Kafka listener, without
 * transactions: {@link KafkaTemplate} sends, and a {@code @KafkaListener} in an annotation-configured context
 * (no Spring Boot) that acknowledges by hand ({@link ContainerProperties.AckMode#MANUAL_IMMEDIATE}). What Spring
 * did is checked with plain kafka-clients: the records in the log and the group's committed offsets.
 */
class SpringKafkaOnWeirTest {
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
    void kafkaTemplateSendsAreAcknowledgedWithTheirOffsetsAndReadBackInOrderWithHeaders() throws Exception {
        weir.createTopic("template-out", 2);
        DefaultKafkaProducerFactory<String, String> factory = new DefaultKafkaProducerFactory<>(weir.producerConfig());
        List<CompletableFuture<SendResult<String, String>>> sends = new ArrayList<>();
        try {
            KafkaTemplate<String, String> template = new KafkaTemplate<>(factory);
            for (int i = 0; i < 40; i++) {
                ProducerRecord<String, String> record =
                        new ProducerRecord<>("template-out", i % 2, "k" + i, "v" + i); // partition = i % 2
                record.headers().add("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                sends.add(template.send(record));
            }
            template.flush();
            for (int i = 0; i < sends.size(); i++) {
                SendResult<String, String> result = sends.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(i % 2, result.getRecordMetadata().partition(), "partition of send " + i);
                assertEquals(i / 2, result.getRecordMetadata().offset(), "offset of send " + i);
            }
        } finally {
            factory.destroy();
        }

        List<ConsumerRecord<String, String>> read = weir.readAll("template-out", 2, "read_uncommitted");
        assertEquals(40, read.size());
        for (ConsumerRecord<String, String> r : read) {
            int i = Integer.parseInt(r.key().substring(1));
            assertEquals(i % 2, r.partition(), "partition of " + r.key());
            assertEquals(i / 2, r.offset(), "offset of " + r.key());
            assertEquals("v" + i, r.value());
            assertArrayEquals(
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                    r.headers().lastHeader("seq").value());
        }
    }

    @Test
    void manualImmediateAcksCommitWhatWasAcknowledgedAndARestartedContainerRedeliversTheRest() throws Exception {
        weir.createTopic(AckingListener.TOPIC, 2);
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            // The consumer settings, not the fixture itself: the context closes AutoCloseable beans it holds.
            context.registerBean(
                    ConsumerSettings.class,
                    () -> new ConsumerSettings(weir.consumerConfig(AckingListener.ID, "read_uncommitted")));
            context.register(AckingConfig.class);
            context.refresh();
            AckingListener listener = context.getBean(AckingListener.class);
            MessageListenerContainer container =
                    context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(AckingListener.ID);

            // Ten records a partition; the listener acknowledges offsets 0-5 of each and leaves 6-9 unacknowledged.
            listener.ackBelow = 6;
            DefaultKafkaProducerFactory<String, String> producers =
                    new DefaultKafkaProducerFactory<>(weir.producerConfig());
            try {
                KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
                for (int i = 0; i < 20; i++) {
                    template.send(AckingListener.TOPIC, i % 2, "k" + i, "v" + i);
                }
                template.flush();
            } finally {
                producers.destroy();
            }
            Set<String> all = offsets(0, 10);
            SpringOnWeir.await(() -> received(listener).containsAll(all), "all 20 records to reach the listener");
            SpringOnWeir.await(
                    () -> committed().equals(Map.of(0, 6L, 1, 6L)), "the acknowledged offsets to be committed");
            container.stop();
            assertEquals(Map.of(0, 6L, 1, 6L), committed(), "committed offsets once the container stopped");

            // Restarted, the container resumes at the committed offsets: the unacknowledged records come back,
            // the acknowledged ones never do.
            listener.received.clear();
            listener.ackBelow = Long.MAX_VALUE;
            container.start();
            SpringOnWeir.await(
                    () -> committed().equals(Map.of(0, 10L, 1, 10L)),
                    "the redelivered records to be acknowledged and committed");
            container.stop();
            assertEquals(offsets(6, 10), received(listener), "records redelivered after the restart");
        }
    }

    private static Map<Integer, Long> committed() {
        try {
            return weir.committed(AckingListener.ID, AckingListener.TOPIC);
        } catch (Exception e) {
            throw new AssertionError("Listing the committed offsets of " + AckingListener.ID + " failed", e);
        }
    }

    /** {@code partition@offset} of each record from {@code from} up to {@code to} of both partitions. */
    private static Set<String> offsets(int from, int to) {
        Set<String> expected = new TreeSet<>();
        for (int p = 0; p < 2; p++) {
            for (int o = from; o < to; o++) {
                expected.add(p + "@" + o);
            }
        }
        return expected;
    }

    /** What the listener received, as {@code partition@offset}; a record redelivered by a rebalance counts once. */
    private static Set<String> received(AckingListener listener) {
        return listener.received.stream()
                .map(r -> r.partition() + "@" + r.offset())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The kafka-clients settings of the listener's consumers (Weir's address), handed to the context. */
    public record ConsumerSettings(Map<String, Object> config) {}

    /** The context: a listener container factory in MANUAL_IMMEDIATE mode and the listener bean. */
    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    public static class AckingConfig {
        @Bean
        public ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
                ConsumerSettings settings) {
            ConcurrentKafkaListenerContainerFactory<String, String> factory =
                    new ConcurrentKafkaListenerContainerFactory<>();
            factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(settings.config()));
            factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
            return factory;
        }

        @Bean
        public AckingListener ackingListener() {
            return new AckingListener();
        }
    }

    /** Two consumers (one a partition) acknowledging each record whose offset is below {@link #ackBelow}. */
    public static class AckingListener {
        static final String ID = "acker";
        static final String TOPIC = "acked";

        final ConcurrentLinkedQueue<ConsumerRecord<String, String>> received = new ConcurrentLinkedQueue<>();
        volatile long ackBelow;

        @KafkaListener(id = ID, topics = TOPIC, concurrency = "2")
        public void listen(ConsumerRecord<String, String> record, Acknowledgment ack) {
            received.add(record);
            if (record.offset() < ackBelow) {
                ack.acknowledge();
            }
        }
    }
}
