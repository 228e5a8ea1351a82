package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.transport.EmbeddedBrokerHandle;
import io.weir.common.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Code that must not name the server (the streams runtime) opens a broker through the service-loaded provider. */
class EmbeddedBrokerProviderTest {

    @Test
    void opensABrokerThatClientsReachByItsBootstrapServers(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("broker");
        try (EmbeddedBrokerHandle broker = Transports.openEmbedded(Map.of("log.dirs", dataDir.toString()))) {
            assertTrue(broker.bootstrapServers().startsWith(Transports.EMBEDDED_PREFIX), broker.bootstrapServers());
            assertEquals(dataDir, broker.dataDir());
            Properties props = new Properties();
            props.put("bootstrap.servers", broker.bootstrapServers());
            try (Producer<String, String> producer =
                    Producer.create(props, new StringSerializer(), new StringSerializer())) {
                RecordMetadata written =
                        producer.send(new ProducerRecord<>("orders", "k", "v")).get(30, TimeUnit.SECONDS);
                assertEquals(0, written.offset());
            }
        }
        assertTrue(Files.isDirectory(dataDir.resolve("orders-0")), "the data stays in log.dirs after close");
    }

    @Test
    void clientsConfiguredBeforeTheBrokerOpensFindItByTheNameItWasGiven() throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", "embedded:streams-app");
        try (EmbeddedBrokerHandle broker =
                        Transports.openEmbedded(Map.of(Transports.EMBEDDED_NAME_CONFIG, "streams-app"));
                Producer<String, String> producer =
                        Producer.create(props, new StringSerializer(), new StringSerializer())) {
            assertEquals("embedded:streams-app", broker.bootstrapServers());
            assertEquals(
                    0,
                    producer.send(new ProducerRecord<>("orders", "k", "v"))
                            .get(30, TimeUnit.SECONDS)
                            .offset());
        }
    }

    @Test
    void aBrokerWithoutLogDirsRemovesItsTemporaryDirectoryOnClose() {
        Path dataDir;
        try (EmbeddedBrokerHandle broker = Transports.openEmbedded(Map.of())) {
            dataDir = broker.dataDir();
            assertTrue(Files.isDirectory(dataDir));
        }
        assertFalse(Files.exists(dataDir));
    }
}
