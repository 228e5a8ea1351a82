package io.weir.clients.producer;

import static io.weir.clients.internals.ConfigAssertions.assertSameError;
import static io.weir.clients.internals.ConfigAssertions.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.record.CompressionType;
import io.weir.common.serialization.StringSerializer;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

    @Test
    void defaultsAreKafkas() {
        ProducerConfig c = ProducerConfig.from(props());
        assertTrue(c.enableIdempotence());
        assertNull(c.transactionalId());
        assertEquals(60_000, c.transactionTimeoutMs());
        assertEquals(Acks.ALL, c.acks());
        assertEquals(16_384, c.batchSize());
        assertEquals(5, c.lingerMs());
        assertEquals(33_554_432L, c.bufferMemory());
        assertEquals(60_000, c.maxBlockMs());
        assertEquals(120_000, c.deliveryTimeoutMs());
        assertEquals(5, c.maxInFlightRequestsPerConnection());
        assertEquals(1_048_576, c.maxRequestSize());
        assertEquals(CompressionType.NONE, c.compressionType());
    }

    @Test
    void parsesStringKeysIntoTypedValues() {
        ProducerConfig c = ProducerConfig.from(props(
                "acks",
                "0",
                "linger.ms",
                "20",
                "compression.type",
                "zstd",
                "partitioner.class",
                RoundRobinPartitioner.class.getName(),
                "key.serializer",
                StringSerializer.class.getName()));
        assertEquals(Acks.NONE, c.acks());
        assertEquals(20, c.lingerMs());
        assertEquals(CompressionType.ZSTD, c.compressionType());
        assertEquals(RoundRobinPartitioner.class, c.partitionerClass());
        assertEquals(StringSerializer.class, c.keySerializer());
        assertEquals(Acks.ALL, ProducerConfig.from(props("acks", "-1")).acks());
        assertEquals(
                Acks.LEADER,
                ProducerConfig.from(Map.of("bootstrap.servers", "embedded:x", "acks", "1"))
                        .acks());
    }

    @Test
    void rejectsABadValueNamingKeyAndValue() {
        var e = assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.from(props("acks", "2")));
        assertTrue(e.getMessage().contains("acks") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.from(props("linger.ms", "-1")));
        assertTrue(e.getMessage().contains("linger.ms"), e.getMessage());
        e = assertThrows(
                InvalidConfigurationException.class, () -> ProducerConfig.from(props("compression.type", "brotli")));
        assertTrue(e.getMessage().contains("brotli"), e.getMessage());
        e = assertThrows(
                InvalidConfigurationException.class,
                () -> ProducerConfig.from(props("partitioner.class", "java.lang.String")));
        assertTrue(e.getMessage().contains("Partitioner"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.from(new Properties()));
    }

    @Test
    void idempotenceIsQuietlyOffWhenUnsetAndAcksRetriesOrInFlightRuleItOut() {
        assertFalse(ProducerConfig.from(props("acks", "1")).enableIdempotence());
        assertFalse(ProducerConfig.from(props("acks", "0")).enableIdempotence());
        assertFalse(ProducerConfig.from(props("retries", "0")).enableIdempotence());
        assertFalse(ProducerConfig.from(props("max.in.flight.requests.per.connection", "6"))
                .enableIdempotence());
        assertTrue(ProducerConfig.from(props("max.in.flight.requests.per.connection", "5"))
                .enableIdempotence());
        assertFalse(ProducerConfig.builder()
                .bootstrapServers("embedded:x")
                .acks(Acks.LEADER)
                .build()
                .enableIdempotence());
        assertTrue(
                ProducerConfig.builder().bootstrapServers("embedded:x").build().enableIdempotence());
    }

    @Test
    void explicitIdempotenceWithAConflictFailsNamingTheKeysAndValues() {
        var e = assertThrows(
                InvalidConfigurationException.class,
                () -> ProducerConfig.from(props(
                        "enable.idempotence", "true", "acks", "1", "max.in.flight.requests.per.connection", "7")));
        assertTrue(
                e.getMessage().contains("enable.idempotence=true")
                        && e.getMessage().contains("acks=1")
                        && e.getMessage().contains("max.in.flight.requests.per.connection=7"),
                e.getMessage());
        e = assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.builder()
                .bootstrapServers("embedded:x")
                .enableIdempotence(true)
                .retries(0)
                .build());
        assertTrue(e.getMessage().contains("retries=0"), e.getMessage());
        assertFalse(ProducerConfig.from(props("enable.idempotence", "false")).enableIdempotence());
    }

    @Test
    void transactionalIdNeedsIdempotence() {
        ProducerConfig c = ProducerConfig.from(props("transactional.id", "tx-1", "transaction.timeout.ms", "9000"));
        assertEquals("tx-1", c.transactionalId());
        assertEquals(9000, c.transactionTimeoutMs());
        assertTrue(c.enableIdempotence());
        var e = assertThrows(
                InvalidConfigurationException.class,
                () -> ProducerConfig.from(props("transactional.id", "tx-1", "enable.idempotence", "false")));
        assertTrue(
                e.getMessage().contains("transactional.id=tx-1")
                        && e.getMessage().contains("enable.idempotence=false"),
                e.getMessage());
        e = assertThrows(
                InvalidConfigurationException.class,
                () -> ProducerConfig.from(props("transactional.id", "tx-1", "acks", "1")));
        assertTrue(e.getMessage().contains("acks=1"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.builder()
                .bootstrapServers("embedded:x")
                .transactionalId("tx")
                .enableIdempotence(false)
                .build());
        assertTrue(e.getMessage().contains("transactional.id=tx"), e.getMessage());
    }

    @Test
    void builderRefusesAnEmptyTransactionalIdAndANonPositiveTimeoutAtOnce() {
        assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.builder()
                .transactionalId(""));
        var e = assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.builder()
                .transactionTimeoutMs(0));
        assertTrue(e.getMessage().contains("transaction.timeout.ms"), e.getMessage());
        assertThrows(
                InvalidConfigurationException.class, () -> ProducerConfig.from(props("transaction.timeout.ms", "0")));
        ProducerConfig.Builder b = ProducerConfig.builder().enableIdempotence(true);
        assertThrows(IllegalStateException.class, () -> b.enableIdempotence(false));
    }

    @Test
    void refusesDeliveryTimeoutShorterThanLingerPlusRequestTimeout() {
        var e = assertThrows(
                InvalidConfigurationException.class,
                () -> ProducerConfig.from(
                        props("delivery.timeout.ms", "1000", "linger.ms", "500", "request.timeout.ms", "600")));
        assertTrue(e.getMessage().contains("1100"), e.getMessage());
    }

    @Test
    void builderFailsFastOnABadOrRepeatedOption() {
        ProducerConfig.Builder b = ProducerConfig.builder();
        assertThrows(InvalidConfigurationException.class, () -> b.lingerMs(-5));
        b.batchSize(1024);
        assertThrows(IllegalStateException.class, () -> b.batchSize(2048));
        assertThrows(InvalidConfigurationException.class, b::build); // no bootstrap servers
        ProducerConfig c = b.bootstrapServers("embedded:x").acks(Acks.LEADER).build();
        assertEquals(1024, c.batchSize());
        assertEquals(Acks.LEADER, c.acks());
        assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.builder()
                .bootstrapServers("embedded:x")
                .deliveryTimeoutMs(10)
                .build());
    }

    @Test
    void builderRefusesEveryRepeatedSetterNamingTheKey() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> ProducerConfig.builder().lingerMs(1).lingerMs(1));
        assertTrue(e.getMessage().contains("linger.ms"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> ProducerConfig.builder().acks(Acks.ALL).acks(Acks.LEADER));
        assertTrue(e.getMessage().contains("acks"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> ProducerConfig.builder().bootstrapServers("embedded:a").bootstrapServers("embedded:b"));
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }

    @Test
    void builderDefaultsAreTheDefinitionsDefaults() {
        ProducerConfig c =
                ProducerConfig.builder().bootstrapServers("embedded:x").build();
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.CLIENT_ID), c.clientId());
        assertEquals(Acks.forConfig((String) ProducerConfig.DEFINITION.defaultValue(ProducerConfig.ACKS)), c.acks());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.LINGER_MS), c.lingerMs());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.BATCH_SIZE), c.batchSize());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.BUFFER_MEMORY), c.bufferMemory());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.MAX_BLOCK_MS), c.maxBlockMs());
        assertEquals(
                ProducerConfig.DEFINITION.defaultValue(ProducerConfig.COMPRESSION_TYPE),
                c.compressionType().configName());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.RETRIES), c.retries());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.RETRY_BACKOFF_MS), c.retryBackoffMs());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.DELIVERY_TIMEOUT_MS), c.deliveryTimeoutMs());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.REQUEST_TIMEOUT_MS), c.requestTimeoutMs());
        assertEquals(
                ProducerConfig.DEFINITION.defaultValue(ProducerConfig.MAX_IN_FLIGHT),
                c.maxInFlightRequestsPerConnection());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.MAX_REQUEST_SIZE), c.maxRequestSize());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.METADATA_MAX_AGE_MS), c.metadataMaxAgeMs());
        assertEquals(ProducerConfig.DEFINITION.defaultValue(ProducerConfig.ENABLE_IDEMPOTENCE), c.enableIdempotence());
        assertEquals(
                ProducerConfig.DEFINITION.defaultValue(ProducerConfig.TRANSACTION_TIMEOUT_MS),
                c.transactionTimeoutMs());
        assertNull(c.transactionalId());
        assertNull(c.partitionerClass());
    }

    @Test
    void builderAndPropertiesRefuseABadValueWithTheSameMessage() {
        assertSameError(
                () -> ProducerConfig.builder().lingerMs(-1), () -> ProducerConfig.from(props("linger.ms", "-1")));
        assertSameError(
                () -> ProducerConfig.builder().maxInFlightRequestsPerConnection(0),
                () -> ProducerConfig.from(props("max.in.flight.requests.per.connection", "0")));
        assertSameError(
                () -> ProducerConfig.builder().transactionalId(""),
                () -> ProducerConfig.from(props("transactional.id", "")));
        assertSameError(
                () -> ProducerConfig.builder().bootstrapServers(" "),
                () -> ProducerConfig.from(props("bootstrap.servers", " ")));
        assertSameError(() -> ProducerConfig.builder().build(), () -> ProducerConfig.from(new Properties()));
    }
}
