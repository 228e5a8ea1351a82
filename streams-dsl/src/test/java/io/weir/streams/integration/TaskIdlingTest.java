package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.KStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.task.idle.ms} on the runtime: a stream-stream join over two topics loaded before the start, one of large
 * records and one of small, so that a fetch brings a few records of the first and hundreds of the second. A task that
 * processed whatever it had would run the small side's stream time far ahead and drop the large side's records as
 * late; a task that waits for a partition whose records are still on the broker takes both sides in timestamp order
 * and joins every pair.
 */
class TaskIdlingTest {
    private static final int PAIRS = 600;
    private static final String LARGE = "x".repeat(2_000);

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> clicks = builder.stream("clicks");
        KStream<String, String> views = builder.stream("views");
        clicks.join(views, (click, view) -> view, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(500)))
                .to("joined");
        return builder.build();
    }

    private static Properties props(Path dir, long maxTaskIdleMs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "idling");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, maxTaskIdleMs);
        props.put(StreamsConfig.CONSUMER_PREFIX + "max.partition.fetch.bytes", 16 * 1024);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    /** Runs the join over the pre-loaded input; returns the results, read until the last pair's. */
    private static List<ConsumerRecord<String, String>> run(Path dir, long maxTaskIdleMs) throws Exception {
        try (WeirStreams streams = new WeirStreams(topology(), props(dir, maxTaskIdleMs))) {
            String bootstrap = streams.bootstrapServers();
            Cluster.createTopic(bootstrap, "clicks", 1);
            Cluster.createTopic(bootstrap, "views", 1);
            Cluster.createTopic(bootstrap, "joined", 1);
            try (Producer<String, String> producer = Producer.create(
                    Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                    new StringSerializer(),
                    new StringSerializer())) {
                // Pair i: key k(i % 20) at i seconds on both sides; the same key recurs only 20 s later.
                for (int i = 0; i <= PAIRS; i++) {
                    String key = i == PAIRS ? "end" : "k" + (i % 20);
                    producer.send(new ProducerRecord<>("clicks", 0, i * 1_000L, key, LARGE));
                    producer.send(new ProducerRecord<>("views", 0, i * 1_000L, key, "view-" + i));
                }
                producer.flush();
            }
            streams.start();
            // One task reads both partitions and writes the one output partition in processing order: the last
            // pair's result comes after everything else the task made of the input.
            return Cluster.readUntil(
                    bootstrap,
                    "joined",
                    new StringDeserializer(),
                    read -> !read.isEmpty() && read.get(read.size() - 1).key().equals("end"));
        }
    }

    @Test
    void aTaskWaitsForAPartitionWithRecordsOnTheBrokerAndJoinsEveryPair(@TempDir Path dir) throws Exception {
        List<ConsumerRecord<String, String>> joined = run(dir, 0);

        assertEquals(PAIRS + 1, joined.size(), "every pair joined once");
        for (int i = 0; i < PAIRS; i++) {
            assertEquals("view-" + i, joined.get(i).value());
        }
    }

    @Test
    void withIdlingDisabledTheSameInputLosesResultsToStreamTimeRunningAhead(@TempDir Path dir) throws Exception {
        List<ConsumerRecord<String, String>> joined = run(dir, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);

        // What is lost depends on how the fetches fall; that the small side ran ahead does not.
        assertTrue(joined.size() < PAIRS / 2, "only " + joined.size() + " of " + (PAIRS + 1) + " pairs should join");
    }
}
