package io.weir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.broker.EmbeddedBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dumps segment files a real broker wrote, through {@code --data-dir} (the command opens the directory). */
class DumpLogCommandTest {
    @TempDir
    Path dir;

    private Path segment;

    @BeforeEach
    void write() {
        assertEquals(
                0,
                Cli.run("topics", "--create", "--topic", "t", "--data-dir", dir.toString())
                        .code());
        assertEquals(
                0,
                Cli.withInput(
                                "k1:one\nk2:two\n",
                                "console-producer",
                                "--topic",
                                "t",
                                "--property",
                                "parse.key=true",
                                "--property",
                                "key.separator=:",
                                "--data-dir",
                                dir.toString())
                        .code());
        assertEquals(
                0,
                Cli.withInput(
                                "three\n",
                                "console-producer",
                                "--topic",
                                "t",
                                "--transactional-id",
                                "tx",
                                "--data-dir",
                                dir.toString())
                        .code());
        // A commit returns before its marker is written; read_committed sees the record only once the marker is in
        // the log, so this waits for it (the broker opened here finishes the commit if the last one closed first).
        Cli.Result committed = Cli.run(
                "console-consumer",
                "--topic",
                "t",
                "--from-beginning",
                "--isolation-level",
                "read_committed",
                "--max-messages",
                "3",
                "--timeout-ms",
                "30000",
                "--data-dir",
                dir.toString());
        assertEquals(3, committed.lines().size(), committed::toString);
        segment = dir.resolve("t-0").resolve("00000000000000000000.log");
        assertTrue(Files.exists(segment), () -> "no segment at " + segment);
    }

    @Test
    void printsBatchesRecordsAndTheCommitMarker() {
        Cli.Result dumped = Cli.run("dump-log", "--files", segment.toString(), "--print-data-log");
        assertEquals(0, dumped.code(), dumped::toString);
        assertTrue(dumped.out().contains("baseOffset: 0 lastOffset: 1 count: 2"), dumped::toString);
        assertTrue(dumped.out().contains("| offset: 0 CreateTime: "), dumped::toString);
        assertTrue(dumped.out().contains("key: k1 payload: one"), dumped::toString);
        assertTrue(dumped.out().contains("key: null payload: three"), dumped::toString);
        assertTrue(dumped.out().contains("endTxnMarker: COMMIT"), dumped::toString);
        assertTrue(dumped.out().contains("isvalid: true"), dumped::toString);
        assertTrue(!dumped.out().contains("isvalid: false"), dumped::toString);
    }

    @Test
    void jsonListsEveryBatch() throws Exception {
        JsonNode json = Table.JSON.readTree(Cli.run("dump-log", "--files", segment.toString(), "--output", "json")
                .out());
        JsonNode batches = json.get(0).get("batches");
        assertFalse(batches.get(0).get("isTransactional").asBoolean(), json::toString);
        assertTrue(batches.get(1).get("isTransactional").asBoolean(), json::toString);
        // One commit marker, or two: a broker closed before it recorded the commit complete writes the marker
        // again when it next opens, which readers ignore as Kafka's do.
        assertTrue(batches.size() == 3 || batches.size() == 4, json::toString);
        for (int i = 2; i < batches.size(); i++) {
            assertTrue(batches.get(i).get("isControl").asBoolean(), json::toString);
        }
    }

    @Test
    void aFlippedByteFailsTheCrcAndTheExitCode() throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, 70);
            one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
            channel.write(one, 70);
        }
        Cli.Result dumped = Cli.run("dump-log", "--files", segment.toString());
        assertEquals(1, dumped.code(), dumped::toString);
        assertTrue(dumped.out().contains("baseOffset: 0 lastOffset: 1 count: 2"), dumped::toString);
        assertTrue(
                dumped.out().lines().filter(l -> l.contains("isvalid: false")).count() == 1, dumped::toString);
    }

    @Test
    void aPartialBatchAtTheEndIsReportedWithItsPosition() throws IOException {
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 10);
        }
        Cli.Result dumped = Cli.run("dump-log", "--files", segment.toString());
        assertEquals(1, dumped.code(), dumped::toString);
        assertTrue(dumped.out().contains("invalid bytes at position"), dumped::toString);
    }

    @Test
    void indexEntriesPointIntoTheLog() throws IOException {
        Path index = dir.resolve("t-0").resolve("00000000000000000000.index");
        Cli.Result dumped = Cli.run("dump-log", "--files", index.toString());
        assertEquals(0, dumped.code(), dumped::toString);
        assertTrue(dumped.out().startsWith("Dumping " + index), dumped::toString);
    }

    @Test
    void aMissingOrForeignFileIsRefused() throws IOException {
        Cli.Result missing =
                Cli.run("dump-log", "--files", dir.resolve("nope.log").toString());
        assertEquals(1, missing.code(), missing::toString);
        assertTrue(missing.err().contains("No such file"), missing::toString);
        Path other = Files.writeString(dir.resolve("notes.txt"), "x");
        Cli.Result foreign = Cli.run("dump-log", "--files", other.toString());
        assertEquals(1, foreign.code(), foreign::toString);
        assertTrue(foreign.err().contains(".log, .index and .timeindex"), foreign::toString);
    }

    @Test
    void aDataDirectoryInUseByABrokerIsRefusedWithTheWayAround() {
        try (EmbeddedBroker running = Cli.broker(dir)) {
            Cli.Result result = Cli.run("topics", "--list", "--data-dir", dir.toString());
            assertEquals(1, result.code(), result::toString);
            assertTrue(result.err().contains("--bootstrap-server"), result::toString);
        }
    }

    @Test
    void aMissingDataDirectoryIsRefused() {
        Cli.Result result =
                Cli.run("topics", "--list", "--data-dir", dir.resolve("absent").toString());
        assertEquals(1, result.code(), result::toString);
        assertTrue(result.err().contains("No data directory"), result::toString);
    }

    @Test
    void anUnreachableBrokerFailsWithinTheTimeout() {
        long start = System.nanoTime();
        Cli.Result result = Cli.run("topics", "--list", "--bootstrap-server", "127.0.0.1:1", "--timeout", "2000");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, result.code(), result::toString);
        assertTrue(result.err().startsWith("weir topics: "), result::toString);
        assertTrue(tookMs < 15_000, "took " + tookMs + " ms");
    }
}
