package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.protocol.Errors;
import io.weir.common.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir.embedded.name}: the name clients use in {@code bootstrap.servers=embedded:<name>}. */
class EmbeddedBrokerNameTest {
    @TempDir
    Path dir;

    private static BrokerConfig config(Path dataDir, String name) {
        return BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, dataDir.toString(), BrokerConfig.EMBEDDED_NAME, name));
    }

    @Test
    void aNamedBrokerIsReachedAtEmbeddedColonItsName() {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(dir, "orders-app.1"))) {
            assertEquals("embedded:orders-app.1", broker.bootstrapServers());
            assertSame(broker.api(), Transports.connect(List.of("embedded:orders-app.1")));
        }
        assertThrows(
                InvalidConfigurationException.class,
                () -> Transports.connect(List.of("embedded:orders-app.1")),
                "a closed broker's name resolves to nothing");
    }

    @Test
    void aSecondBrokerOfTheSameNameIsRefusedNamingTheKeyAndTouchesNothing() throws Exception {
        Path otherDir = dir.resolve("other");
        try (EmbeddedBroker first = EmbeddedBroker.open(config(dir.resolve("first"), "twin"))) {
            InvalidConfigurationException e = assertThrows(
                    InvalidConfigurationException.class, () -> EmbeddedBroker.open(config(otherDir, "twin")));
            assertTrue(
                    e.getMessage().contains("'twin'") && e.getMessage().contains(BrokerConfig.EMBEDDED_NAME),
                    e.getMessage());
            assertFalse(Files.exists(otherDir), "refused before its data directory was created");

            InvalidConfigurationException sameDir = assertThrows(
                    InvalidConfigurationException.class,
                    () -> EmbeddedBroker.open(config(dir.resolve("first"), "twin")));
            assertTrue(sameDir.getMessage().contains(BrokerConfig.EMBEDDED_NAME), "the name, not the directory lock");

            assertSame(first.api(), Transports.connect(List.of("embedded:twin")), "the first keeps its name");
            createTopic(first.api(), "t", 1, Map.of());
            assertEquals(
                    Errors.NONE,
                    produce(first.api(), new TopicPartition("t", 0), batch(1, "v"))
                            .error()
                            .error());
        }
    }

    @Test
    void theNameIsFreeAgainOnceItsBrokerClosed() {
        EmbeddedBroker.open(config(dir, "again")).close();
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(dir, "again"))) {
            assertEquals("embedded:again", broker.bootstrapServers());
        }
    }

    @Test
    void withoutTheKeyEachBrokerMakesUpItsOwnName() {
        try (EmbeddedBroker a = EmbeddedBroker.open(BrokerConfig.defaults());
                EmbeddedBroker b = EmbeddedBroker.open(BrokerConfig.defaults())) {
            assertTrue(a.bootstrapServers().startsWith("embedded:broker-0-"), a.bootstrapServers());
            assertNotEquals(a.bootstrapServers(), b.bootstrapServers());
        }
    }

    @Test
    void aNameThatCannotStandInBootstrapServersIsRefusedNamingTheKey() {
        for (String bad : List.of("a,b", "with space", "embedded:x", "naïve")) {
            InvalidConfigurationException e = assertThrows(
                    InvalidConfigurationException.class,
                    () -> BrokerConfig.from(Map.of(BrokerConfig.EMBEDDED_NAME, bad)),
                    bad);
            assertTrue(e.getMessage().contains(BrokerConfig.EMBEDDED_NAME), e.getMessage());
        }
        assertEquals(
                null, BrokerConfig.from(Map.of(BrokerConfig.EMBEDDED_NAME, "")).embeddedName(), "empty: unset");
    }
}
