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

class TransactionsCommandTest {
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
    void anOpenTransactionIsListedDescribedAndAbortedByItsStartOffset() throws Exception {
        try (Producer<String, String> producer = Producer.create(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "transactional.id", "tx-1"),
                new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            Cli.withInput("before\n", Cli.on(broker, "console-producer", "--topic", "t"));
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("t", "pending"));
            producer.flush();

            Cli.Result listed = Cli.run(Cli.on(broker, "transactions", "list"));
            assertEquals(0, listed.code(), listed::toString);
            assertTrue(listed.out().contains("tx-1"), listed::toString);

            JsonNode described = Table.JSON.readTree(Cli.run(Cli.on(
                            broker, "transactions", "describe", "--transactional-id", "tx-1", "--output", "json"))
                    .out());
            assertEquals("[\"t-0\"]", described.get(0).get("topicPartitions").toString());

            JsonNode producers = Table.JSON.readTree(Cli.run(Cli.on(
                            broker,
                            "transactions",
                            "describe-producers",
                            "--topic",
                            "t",
                            "--partition",
                            "0",
                            "--output",
                            "json"))
                    .out());
            JsonNode open = null;
            for (JsonNode p : producers) {
                if (!p.get("currentTransactionStartOffset").isNull()) {
                    open = p;
                }
            }
            assertEquals(1, open.get("currentTransactionStartOffset").asLong(), producers::toString);

            Cli.Result aborted = Cli.run(
                    Cli.on(broker, "transactions", "abort", "--topic", "t", "--partition", "0", "--start-offset", "1"));
            assertEquals(0, aborted.code(), aborted::toString);
        }
        Cli.Result read = Cli.run(Cli.on(
                broker,
                "console-consumer",
                "--topic",
                "t",
                "--from-beginning",
                "--isolation-level",
                "read_committed",
                "--timeout-ms",
                "300"));
        assertEquals(List.of("before"), read.lines(), read::toString);
    }

    @Test
    void abortingAtAnOffsetWhereNoTransactionStartsSaysSo() {
        Cli.Result aborted = Cli.run(
                Cli.on(broker, "transactions", "abort", "--topic", "t", "--partition", "0", "--start-offset", "7"));
        assertEquals(1, aborted.code(), aborted::toString);
        assertTrue(aborted.err().contains("No open transaction starts at offset 7"), aborted::toString);
    }

    @Test
    void findHangingReportsNoneOnAQuietBroker() {
        Cli.Result hanging = Cli.run(Cli.on(broker, "transactions", "find-hanging"));
        assertEquals(0, hanging.code(), hanging::toString);
        assertTrue(hanging.err().contains("No hanging transactions"), hanging::toString);
    }

    @Test
    void describingAnUnknownTransactionalIdFails() {
        Cli.Result described = Cli.run(Cli.on(broker, "transactions", "describe", "--transactional-id", "nope"));
        assertEquals(1, described.code(), described::toString);
        assertTrue(described.err().contains("nope"), described::toString);
    }
}
