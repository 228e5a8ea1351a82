package io.weir.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeirBrokerMainTest {
    @TempDir
    Path dir;

    @Test
    void flagsOverrideThePropertiesFileAndTheBoundAddressIsPrinted() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "log.dirs=" + dir.resolve("ignored") + "\nnum.partitions=3\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = {
            file.toString(), "--log.dirs", dir.resolve("data").toString(), "--listeners=PLAINTEXT://127.0.0.1:0"
        };
        String clusterId;
        try (EmbeddedBroker broker = WeirBrokerMain.start(args, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            clusterId = broker.config().clusterId();
            assertEquals(dir.resolve("data"), broker.dataDir());
            assertEquals(3, broker.config().numPartitions());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("Weir broker listening on 127.0.0.1:" + broker.boundPort()), printed);
        }
        try (EmbeddedBroker again = WeirBrokerMain.start(args, new PrintStream(new ByteArrayOutputStream()))) {
            assertTrue(again.openedAfterCleanShutdown(), "closed cleanly, reopened on the same directory");
            assertEquals(clusterId, again.config().clusterId(), "the directory keeps its cluster id");
            assertEquals(22, clusterId.length(), "a random id in Kafka's form: " + clusterId);
        }
    }

    @Test
    void listenersDefaultsToKafkasPortOnLoopback() {
        Properties props = WeirBrokerMain.parse(new String[0]);
        assertEquals("PLAINTEXT://127.0.0.1:9092", props.getProperty("listeners"));
    }

    @Test
    void aFlagWithoutValueIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WeirBrokerMain.parse(new String[] {"--log.dirs"}));
        assertTrue(e.getMessage().contains("--log.dirs"));
    }

    @Test
    void aListenerOtherThanPlaintextIsRefusedWithItsName() {
        Properties props = new Properties();
        props.put("listeners", "SSL://127.0.0.1:0");
        Exception e =
                assertThrows(Exception.class, () -> EmbeddedBroker.open(props).close());
        assertTrue(e.getMessage().contains("SSL"), e.getMessage());
    }

    @Test
    void anEmptyListenerIsRefusedBeforeAnythingIsOpened() {
        String[] args = {"--log.dirs", dir.resolve("data").toString(), "--listeners", ""};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> WeirBrokerMain.start(args, new PrintStream(OutputStream.nullOutputStream())));
        assertTrue(e.getMessage().contains("listeners"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was created");
    }

    @Test
    void aConfiguredClusterIdThatDiffersFromTheDirectorysIsRefusedAndTheDirectoryStaysUsable() {
        Properties first = new Properties();
        first.put("log.dirs", dir.resolve("data").toString());
        first.put("cluster.id", "cluster-a");
        EmbeddedBroker.open(first).close();
        Properties other = new Properties();
        other.putAll(first);
        other.put("cluster.id", "cluster-b");
        Exception e =
                assertThrows(Exception.class, () -> EmbeddedBroker.open(other).close());
        assertTrue(e.getMessage().contains("cluster-a") && e.getMessage().contains("cluster-b"), e.getMessage());
        try (EmbeddedBroker again = EmbeddedBroker.open(first)) {
            assertEquals("cluster-a", again.config().clusterId(), "the refused open released the directory");
        }
    }
}
