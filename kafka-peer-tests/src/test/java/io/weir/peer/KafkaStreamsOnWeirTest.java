package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction of {@link WeirStreamsOnKafkaTest}: an unmodified Apache Kafka Streams 4.1 word count with
 * {@code exactly_once_v2} (a repartition topic, a counting store with its changelog, transactions, the streams
 * assignor over the classic group protocol, admin calls for internal topics and record deletion) against a Weir
 * broker's Kafka listener. The application is closed and started on the same state directory (its transactional
 * producer fences the predecessor's), then on an empty one, so its store is restored from the changelog on Weir;
 * the counts continue each time, in the committed output and in an interactive query.
 */
class KafkaStreamsOnWeirTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static Topology wordCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with("words", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static Properties props(String bootstrap, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kafka-streams-on-weir");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // A restarted instance on a fresh state directory is a new member; the old one leaves on close, but a
        // short session bounds the wait if it does not.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        return props;
    }

    @Test
    void wordCountWithExactlyOnceRunsOnWeirAndRestoresItsCountsFromWeir(
            @TempDir Path data, @TempDir Path stateDir, @TempDir Path fresh) throws Exception {
        Properties brokerProps = new Properties();
        brokerProps.put("log.dirs", data.toString());
        brokerProps.put("listeners", "PLAINTEXT://127.0.0.1:0");
        brokerProps.put("group.initial.rebalance.delay.ms", "0");
        try (EmbeddedBroker broker = EmbeddedBroker.open(brokerProps)) {
            String bootstrap = "127.0.0.1:" + broker.boundPort();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(
                                List.of(new NewTopic("lines", 2, (short) 1), new NewTopic("word-counts", 2, (short) 1)))
                        .all()
                        .get();
            }
            Map<String, Long> expected = new HashMap<>();
            run(bootstrap, stateDir, 0, 100, expected);
            // The same state directory: the counts continue from the local store.
            run(bootstrap, stateDir, 100, 150, expected);
            // An empty state directory: the store is restored from its changelog on Weir.
            run(bootstrap, fresh, 150, 200, expected);
        }
    }

    /** Starts the application, feeds it lines {@code from..to}, and checks its output and its store. */
    private static void run(String bootstrap, Path stateDir, int from, int to, Map<String, Long> expected)
            throws Exception {
        try (KafkaStreams streams = new KafkaStreams(wordCount(), props(bootstrap, stateDir))) {
            streams.start();
            await(() -> streams.state() == KafkaStreams.State.RUNNING, "the application to run");
            produce(bootstrap, from, to, expected);
            assertEquals(expected, readUntil(bootstrap, expected), "the committed output");
            ReadOnlyKeyValueStore<String, Long> store =
                    streams.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
            Map<String, Long> queried = new HashMap<>();
            await(
                    () -> {
                        queried.clear();
                        expected.keySet().forEach(word -> queried.put(word, store.get(word)));
                        return queried.equals(expected);
                    },
                    "the store to hold every count");
        }
    }

    private static void produce(String bootstrap, int from, int to, Map<String, Long> expected) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                String line = "w" + (i % 7) + " w" + (i % 3) + " all";
                producer.send(new ProducerRecord<>("lines", "k" + i, line));
                for (String word : line.split(" ")) {
                    expected.merge(word, 1L, Long::sum);
                }
            }
        }
    }

    /** The latest count per word in the committed output, once it equals {@code expected} (or at the deadline). */
    private static Map<String, Long> readUntil(String bootstrap, Map<String, Long> expected) {
        Map<String, Long> latest = new HashMap<>();
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, Long> reader =
                new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            reader.assign(List.of(new TopicPartition("word-counts", 0), new TopicPartition("word-counts", 1)));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!latest.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : reader.poll(Duration.ofMillis(100))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return latest;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }
}
