package io.weir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.StringSerializer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCommandsTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = Cli.broker(dir);
        assertEquals(
                0, Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t")).code());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void linesSentAreReadBackWithKeysOffsetsAndPartitions() {
        Cli.Result sent = Cli.withInput(
                "k1:v1\nk2:v2\nk3:v3\n",
                Cli.on(
                        broker,
                        "console-producer",
                        "--topic",
                        "t",
                        "--property",
                        "parse.key=true",
                        "--property",
                        "key.separator=:"));
        assertEquals(0, sent.code(), sent::toString);

        Cli.Result read = Cli.run(Cli.on(
                broker,
                "console-consumer",
                "--topic",
                "t",
                "--from-beginning",
                "--max-messages",
                "3",
                "--property",
                "print.key=true",
                "--property",
                "print.offset=true",
                "--property",
                "print.partition=true"));
        assertEquals(0, read.code(), read::toString);
        assertEquals(
                List.of(
                        "Partition:0\tOffset:0\tk1\tv1",
                        "Partition:0\tOffset:1\tk2\tv2",
                        "Partition:0\tOffset:2\tk3\tv3"),
                read.lines());
        assertEquals("Processed a total of 3 messages\n", read.err());
    }

    @Test
    void jsonOutputIsOneObjectPerRecord() throws Exception {
        Cli.withInput("hello\n", Cli.on(broker, "console-producer", "--topic", "t"));
        Cli.Result read = Cli.run(Cli.on(
                broker,
                "console-consumer",
                "--topic",
                "t",
                "--from-beginning",
                "--max-messages",
                "1",
                "--output",
                "json"));
        JsonNode record = Table.JSON.readTree(read.out());
        assertEquals("hello", record.get("value").asText());
        assertTrue(record.get("key").isNull());
        assertEquals(0, record.get("offset").asLong());
    }

    @Test
    void aGroupCommitsExactlyWhatItPrinted() {
        Cli.withInput("a\nb\nc\nd\n", Cli.on(broker, "console-producer", "--topic", "t"));
        Cli.Result first = Cli.run(Cli.on(
                broker, "console-consumer", "--topic", "t", "--group", "g", "--from-beginning", "--max-messages", "2"));
        assertEquals(List.of("a", "b"), first.lines(), first::toString);
        Cli.Result second =
                Cli.run(Cli.on(broker, "console-consumer", "--topic", "t", "--group", "g", "--max-messages", "2"));
        assertEquals(List.of("c", "d"), second.lines(), second::toString);
    }

    @Test
    void readCommittedSeesATransactionalInputOnlyOnceCommitted() {
        try (Producer<String, String> open = Producer.create(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "transactional.id", "held-open"),
                new StringSerializer(),
                new StringSerializer())) {
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>("t", "uncommitted"));
            open.flush();

            Cli.Result sent = Cli.withInput(
                    "x\ny\n", Cli.on(broker, "console-producer", "--topic", "t", "--transactional-id", "cli-tx"));
            assertEquals(0, sent.code(), sent::toString);
            // The open transaction before the CLI's holds back read_committed; read_uncommitted sees all three.
            Cli.Result uncommitted = Cli.run(
                    Cli.on(broker, "console-consumer", "--topic", "t", "--from-beginning", "--max-messages", "3"));
            assertEquals(List.of("uncommitted", "x", "y"), uncommitted.lines());
            open.abortTransaction();
        }
        Cli.Result committed = Cli.run(Cli.on(
                broker,
                "console-consumer",
                "--topic",
                "t",
                "--from-beginning",
                "--isolation-level",
                "read_committed",
                "--max-messages",
                "2",
                "--timeout-ms",
                "2000"));
        assertEquals(List.of("x", "y"), committed.lines(), committed::toString);
    }

    @Test
    void theConsumerStopsAfterItsIdleTimeout() {
        Cli.Result read =
                Cli.run(Cli.on(broker, "console-consumer", "--topic", "t", "--from-beginning", "--timeout-ms", "200"));
        assertEquals(0, read.code(), read::toString);
        assertEquals("Processed a total of 0 messages\n", read.err());
    }

    @Test
    void unknownTopicFailsAtOnceForBothTools() {
        Cli.Result produce = Cli.withInput("x\n", Cli.on(broker, "console-producer", "--topic", "nope"));
        assertEquals(1, produce.code(), produce::toString);
        assertTrue(produce.err().contains("Topic 'nope' does not exist"), produce::toString);
        Cli.Result consume = Cli.run(Cli.on(broker, "console-consumer", "--topic", "nope", "--timeout-ms", "100"));
        assertEquals(1, consume.code(), consume::toString);
        assertTrue(consume.err().contains("Topic 'nope' does not exist"), consume::toString);
    }

    @Test
    void aLineWithoutTheKeySeparatorIsRefusedWithItsNumber() {
        Cli.Result sent = Cli.withInput(
                "k:v\nno separator\n",
                Cli.on(
                        broker,
                        "console-producer",
                        "--topic",
                        "t",
                        "--property",
                        "parse.key=true",
                        "--property",
                        "key.separator=:"));
        assertEquals(1, sent.code(), sent::toString);
        assertTrue(sent.err().contains("Line 2"), sent::toString);
    }

    @Test
    void unknownFormatPropertyIsRefused() {
        Cli.Result read =
                Cli.run(Cli.on(broker, "console-consumer", "--topic", "t", "--property", "print.colour=true"));
        assertEquals(1, read.code(), read::toString);
        assertTrue(read.err().contains("print.colour"), read::toString);
    }
}
