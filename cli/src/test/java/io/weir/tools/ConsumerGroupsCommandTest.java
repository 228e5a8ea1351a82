package io.weir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.consumer.Consumer;
import io.weir.common.serialization.StringDeserializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerGroupsCommandTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = Cli.broker(dir);
        assertEquals(
                0,
                Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t", "--partitions", "2"))
                        .code());
        Cli.withInput("a\nb\nc\nd\ne\nf\n", Cli.on(broker, "console-producer", "--topic", "t"));
        Cli.Result read = Cli.run(Cli.on(
                broker, "console-consumer", "--topic", "t", "--group", "g", "--from-beginning", "--max-messages", "6"));
        assertEquals(6, read.lines().size(), read::toString);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void describeShowsCommittedOffsetsLogEndAndLag() throws Exception {
        Cli.withInput("g\nh\n", Cli.on(broker, "console-producer", "--topic", "t"));
        Cli.Result described =
                Cli.run(Cli.on(broker, "consumer-groups", "--describe", "--group", "g", "--output", "json"));
        assertEquals(0, described.code(), described::toString);
        JsonNode rows = Table.JSON.readTree(described.out());
        assertEquals(2, rows.size());
        long lag = 0;
        long ends = 0;
        for (JsonNode row : rows) {
            assertEquals("g", row.get("group").asText());
            assertEquals(
                    row.get("logEndOffset").asLong() - row.get("currentOffset").asLong(),
                    row.get("lag").asLong());
            lag += row.get("lag").asLong();
            ends += row.get("logEndOffset").asLong();
        }
        assertEquals(2, lag);
        assertEquals(8, ends);
        Cli.Result table = Cli.run(Cli.on(broker, "consumer-groups", "--describe", "--group", "g"));
        assertTrue(
                table.lines().get(0).startsWith("GROUP  TOPIC  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG"),
                table::toString);
    }

    @Test
    void listShowsTheGroupAndItsState() {
        Cli.Result listed = Cli.run(Cli.on(broker, "consumer-groups", "--list"));
        assertEquals(0, listed.code(), listed::toString);
        assertEquals(2, listed.lines().size(), listed::toString);
        assertTrue(listed.lines().get(1).startsWith("g "), listed::toString);
    }

    @Test
    void resetIsADryRunUntilExecute() throws Exception {
        Cli.Result dry = Cli.run(
                Cli.on(broker, "consumer-groups", "--reset-offsets", "--group", "g", "--topic", "t", "--to-earliest"));
        assertEquals(0, dry.code(), dry::toString);
        assertTrue(dry.err().contains("dry run"), dry::toString);
        assertEquals(0, totalLag());

        Cli.Result executed = Cli.run(Cli.on(
                broker,
                "consumer-groups",
                "--reset-offsets",
                "--group",
                "g",
                "--topic",
                "t:0",
                "--shift-by",
                "-1",
                "--execute"));
        assertEquals(0, executed.code(), executed::toString);
        assertEquals(1, totalLag());

        Cli.Result all = Cli.run(Cli.on(
                broker,
                "consumer-groups",
                "--reset-offsets",
                "--group",
                "g",
                "--all-topics",
                "--to-earliest",
                "--execute"));
        assertEquals(0, all.code(), all::toString);
        assertEquals(6, totalLag());
    }

    private long totalLag() throws Exception {
        JsonNode rows = Table.JSON.readTree(
                Cli.run(Cli.on(broker, "consumer-groups", "--describe", "--group", "g", "--output", "json"))
                        .out());
        long lag = 0;
        for (JsonNode row : rows) {
            lag += row.get("lag").asLong();
        }
        return lag;
    }

    @Test
    void aGroupWithMembersIsNeitherResetNorDeleted() {
        try (Consumer<String, String> member = Consumer.create(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "g", "client.id", "member-1"),
                new StringDeserializer(),
                new StringDeserializer())) {
            member.subscribe(List.of("t"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(50));
            }
            Cli.Result reset = Cli.run(Cli.on(
                    broker,
                    "consumer-groups",
                    "--reset-offsets",
                    "--group",
                    "g",
                    "--all-topics",
                    "--to-earliest",
                    "--execute"));
            assertEquals(1, reset.code(), reset::toString);
            assertTrue(reset.err().contains("inactive"), reset::toString);
            Cli.Result members = Cli.run(Cli.on(broker, "consumer-groups", "--describe", "--group", "g", "--members"));
            assertTrue(members.out().contains("member-1"), members::toString);
            Cli.Result delete = Cli.run(Cli.on(broker, "consumer-groups", "--delete", "--group", "g"));
            assertEquals(1, delete.code(), delete::toString);
        }
        Cli.Result delete = Cli.run(Cli.on(broker, "consumer-groups", "--delete", "--group", "g"));
        assertEquals(0, delete.code(), delete::toString);
        Cli.Result gone = Cli.run(Cli.on(broker, "consumer-groups", "--describe", "--group", "g"));
        assertEquals(1, gone.code(), gone::toString);
        assertTrue(gone.err().contains("does not exist"), gone::toString);
    }
}
