package io.weir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.broker.EmbeddedBroker;
import io.weir.common.serialization.Serdes;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.processor.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsCommandTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = Cli.broker(dir.resolve("broker"));
        assertEquals(
                0,
                Cli.run(Cli.on(broker, "topics", "--create", "--topic", "words", "--partitions", "2"))
                        .code());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void aRunningApplicationIsListedWithItsThreadsStoresAndLag() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((k, word) -> word)
                .count(Materialized.<String, Long, StateStore>as("counts"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        props.put(
                StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG,
                Serdes.String().getClass().getName());
        props.put(
                StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG,
                Serdes.String().getClass().getName());
        try (WeirStreams streams = new WeirStreams(builder.build(), props)) {
            streams.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (streams.state() != WeirStreams.State.RUNNING
                    && streams.state() != WeirStreams.State.ERROR
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(WeirStreams.State.RUNNING, streams.state());
            Cli.withInput("a\nb\na\n", Cli.on(broker, "console-producer", "--topic", "words"));

            Cli.Result listed = Cli.run(Cli.on(broker, "streams", "list"));
            assertEquals(0, listed.code(), listed::toString);
            assertTrue(listed.lines().get(1).startsWith("word-count"), listed::toString);

            JsonNode described = waitForCommittedInput(deadline);
            assertEquals(1, described.get("threads").size(), described::toString);
            assertEquals("counts", described.get("stores").get(0).get("store").asText(), described::toString);
            assertEquals(1, described.get("repartitionTopics").size(), described::toString);
        }
        Cli.Result stopped = Cli.run(Cli.on(broker, "streams", "describe", "--application-id", "word-count"));
        assertEquals(0, stopped.code(), stopped::toString);
        assertTrue(stopped.out().contains("counts"), stopped::toString);
    }

    /** Describes the application until its input offsets show the three words committed. */
    private JsonNode waitForCommittedInput(long deadline) throws Exception {
        while (true) {
            Cli.Result described = Cli.run(
                    Cli.on(broker, "streams", "describe", "--application-id", "word-count", "--output", "json"));
            assertEquals(0, described.code(), described::toString);
            JsonNode json = Table.JSON.readTree(described.out());
            long committed = 0;
            for (JsonNode row : json.get("lag")) {
                if (row.get("topic").asText().equals("words")) {
                    committed += row.get("committedOffset").asLong();
                }
            }
            if (committed == 3 || System.nanoTime() > deadline) {
                assertEquals(3, committed, json::toString);
                return json;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void anUnknownApplicationIsRefused() {
        Cli.Result described = Cli.run(Cli.on(broker, "streams", "describe", "--application-id", "nope"));
        assertEquals(1, described.code(), described::toString);
        assertTrue(described.err().contains("No streams application 'nope'"), described::toString);
    }
}
