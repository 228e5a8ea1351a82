package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Outgrow one machine, run on Kafka" as a test: a {@link WeirStreams} word count (a repartition topic, a counting
 * store with its changelog) with {@code exactly_once_v2} and {@code bootstrap.servers} pointing at a real Apache
 * Kafka broker. Its stream thread uses Weir's network clients unchanged: the streams assignor (with its user data)
 * through the assignor adapter, transactions with the consumer's group metadata, admin offset listings and record
 * deletion. The application is closed and started again on the same state directory (a static member rejoining,
 * its transactional ids fencing the predecessor's), then on an empty one, so that its store is restored from its
 * changelog on Kafka; the counts continue each time.
 */
@ExtendWith(KafkaBroker.class)
class WeirStreamsOnKafkaTest {

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

    private static Properties props(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-on-kafka");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // The restarted instance has a new identity (a new state directory), and the first one, a static member,
        // stays in the group until its session expires: a short session keeps that wait to seconds.
        props.put(StreamsConfig.CONSUMER_PREFIX + "session.timeout.ms", 3_000);
        props.put(StreamsConfig.CONSUMER_PREFIX + "heartbeat.interval.ms", 500);
        return props;
    }

    @Test
    void wordCountWithExactlyOnceRunsOnKafkaAndRestoresItsCountsFromKafka(@TempDir Path stateDir, @TempDir Path fresh)
            throws Exception {
        Clients clients = new Clients(KafkaBroker.bootstrapServers());
        clients.createTopic("lines", 2);
        clients.createTopic("word-counts", 2);
        Map<String, Long> expected = new HashMap<>();
        try (WeirStreams streams = new WeirStreams(wordCount(), props(stateDir))) {
            streams.start();
            produce(clients, 0, 100, expected);
            assertEquals(expected, readUntil(expected));
        }
        // The same state directory: the same static member rejoins, and its transactional ids fence the
        // predecessor's; the counts continue from the local store.
        try (WeirStreams same = new WeirStreams(wordCount(), props(stateDir))) {
            same.start();
            produce(clients, 100, 150, expected);
            assertEquals(expected, readUntil(expected));
        }
        try (WeirStreams again = new WeirStreams(wordCount(), props(fresh))) {
            again.start();
            produce(clients, 150, 200, expected);
            assertEquals(expected, readUntil(expected));
        }
    }

    private static void produce(Clients clients, int from, int to, Map<String, Long> expected) throws Exception {
        try (Producer<String, String> producer = clients.producer(Map.of())) {
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
    private static Map<String, Long> readUntil(Map<String, Long> expected) {
        Map<String, Long> latest = new HashMap<>();
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KafkaBroker.bootstrapServers());
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "earliest");
        try (Consumer<String, Long> reader = Consumer.create(props, new StringDeserializer(), new LongDeserializer())) {
            reader.assign(List.of(new TopicPartition("word-counts", 0), new TopicPartition("word-counts", 1)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!latest.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> r : reader.poll(Duration.ofMillis(100))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return latest;
    }
}
