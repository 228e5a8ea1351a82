package io.weir.peer;

import io.weir.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the Spring Kafka tests share: a Weir broker serving the Kafka protocol on a free loopback port, the client
 * settings Spring's factories are given, and readers that look at the result with plain kafka-clients (so a check
 * never depends on the Spring code it checks). One instance per test class; not thread-safe, the test thread uses it.
 */
final class SpringOnWeir implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final EmbeddedBroker broker;
    private final String bootstrap;
    private final Admin admin;

    private SpringOnWeir(EmbeddedBroker broker) {
        this.broker = broker;
        this.bootstrap = "127.0.0.1:" + broker.boundPort();
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    /** A broker on {@code dataDir} with a PLAINTEXT listener on port 0 and no initial rebalance delay. */
    static SpringOnWeir open(Path dataDir) {
        Properties props = new Properties();
        props.put("log.dirs", dataDir.toString());
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("group.initial.rebalance.delay.ms", "0");
        return new SpringOnWeir(EmbeddedBroker.open(props));
    }

    String bootstrap() {
        return bootstrap;
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** String keys and values; Kafka's defaults otherwise (idempotent, acks=all). */
    Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    /** A classic-protocol group member reading from the earliest offset, committing only when told to. */
    Map<String, Object> consumerConfig(String groupId, String isolationLevel) {
        Map<String, Object> config = readerConfig(isolationLevel);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        // A stopped container's members leave the group; a short session bounds the wait if one does not.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        return config;
    }

    private Map<String, Object> readerConfig(String isolationLevel) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        return config;
    }

    /**
     * The group's committed offset of each partition of {@code topic} that has one; none before the group's first
     * commit (an unknown group has no offsets, as in Kafka: {@code OffsetFetchOfAnUnknownGroupTest}).
     */
    Map<Integer, Long> committed(String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .collect(Collectors.toMap(
                        e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    /**
     * Every record of {@code topic} a consumer with {@code isolationLevel} reads, partition by partition in offset
     * order, once no transaction on the topic is open any more (the last stable offset of every partition has
     * reached its high watermark: a commit or abort returns to the producer before its markers are written).
     */
    List<ConsumerRecord<String, String>> readAll(String topic, int partitions, String isolationLevel) {
        List<TopicPartition> tps = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p))
                .toList();
        try (KafkaConsumer<String, String> committed = new KafkaConsumer<>(readerConfig("read_committed"));
                KafkaConsumer<String, String> uncommitted = new KafkaConsumer<>(readerConfig("read_uncommitted"))) {
            AtomicReference<Map<TopicPartition, Long>> ends = new AtomicReference<>();
            await(
                    () -> {
                        ends.set(uncommitted.endOffsets(tps));
                        return committed.endOffsets(tps).equals(ends.get());
                    },
                    "every transaction on " + topic + " to complete");
            KafkaConsumer<String, String> reader = isolationLevel.equals("read_committed") ? committed : uncommitted;
            reader.assign(tps);
            reader.seekToBeginning(tps);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await(
                    () -> {
                        reader.poll(Duration.ofMillis(50)).forEach(records::add);
                        return tps.stream()
                                .allMatch(
                                        tp -> reader.position(tp) >= ends.get().get(tp));
                    },
                    "a " + isolationLevel + " reader to reach the end of " + topic);
            return records;
        }
    }

    /** Waits for {@code condition}, checking every 10 ms, and fails naming {@code what} after {@link #DEADLINE}. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + DEADLINE + " waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    @Override
    public void close() {
        admin.close();
        broker.close();
    }
}
