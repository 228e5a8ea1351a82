package io.weir.clients.internals.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.CoordinatorNotAvailableException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.RecordDeserializationException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.WakeupException;
import io.weir.common.errors.WeirException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Which bootstrap list selects the network clients, and how Kafka's exceptions become Weir's; no broker. */
class KafkaErrorsTest {
    @Test
    void networkAddressesSelectTheNetworkClientsAndEmbeddedNamesDoNot() {
        assertTrue(NetworkClients.selects(List.of("127.0.0.1:9092", "other:9092")));
        assertFalse(NetworkClients.selects(List.of("embedded:weir")));
        InvalidConfigurationException mixed = assertThrows(
                InvalidConfigurationException.class,
                () -> NetworkClients.selects(List.of("embedded:weir", "127.0.0.1:9092")));
        assertTrue(mixed.getMessage().contains("mixes"), mixed.getMessage());
    }

    @Test
    void brokerErrorsBecomeWeirsByTheirKafkaErrorCode() {
        var fenced = new org.apache.kafka.common.errors.ProducerFencedException("newer epoch");
        RuntimeException weir = KafkaErrors.translate(fenced);
        assertInstanceOf(ProducerFencedException.class, weir);
        assertSame(fenced, weir.getCause());
        assertInstanceOf(
                InvalidProducerEpochException.class,
                KafkaErrors.translate(new org.apache.kafka.common.errors.InvalidProducerEpochException("old")));
        assertInstanceOf(
                TopicExistsException.class,
                KafkaErrors.translate(
                        new ExecutionException(new org.apache.kafka.common.errors.TopicExistsException("t"))));
        assertInstanceOf(
                TimeoutException.class,
                KafkaErrors.translate(new org.apache.kafka.common.errors.TimeoutException("slow")));
    }

    @Test
    void clientSideErrorsBecomeWeirsByClass() {
        assertInstanceOf(
                WakeupException.class, KafkaErrors.translate(new org.apache.kafka.common.errors.WakeupException()));
        assertInstanceOf(
                CommitFailedException.class,
                KafkaErrors.translate(new org.apache.kafka.clients.consumer.CommitFailedException("moved on")));
        assertInstanceOf(IllegalClientStateException.class, KafkaErrors.translate(new IllegalStateException("closed")));
        assertInstanceOf(
                CoordinatorNotAvailableException.class,
                KafkaErrors.translate(new org.apache.kafka.clients.consumer.RetriableCommitFailedException(
                        new org.apache.kafka.common.errors.CoordinatorNotAvailableException("moving"))));
        var bad = new org.apache.kafka.common.errors.RecordDeserializationException(
                org.apache.kafka.common.errors.RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new org.apache.kafka.common.TopicPartition("t", 2),
                42,
                0L,
                TimestampType.CREATE_TIME,
                null,
                null,
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                "bad value",
                new RuntimeException("boom"));
        RecordDeserializationException weir =
                assertInstanceOf(RecordDeserializationException.class, KafkaErrors.translate(bad));
        assertEquals(new TopicPartition("t", 2), weir.topicPartition());
        assertEquals(42, weir.offset());
    }

    @Test
    void plainKafkaWrappersAreStrippedAndWeirExceptionsPassThrough() {
        var fenced = new org.apache.kafka.common.errors.ProducerFencedException("newer epoch");
        assertInstanceOf(ProducerFencedException.class, KafkaErrors.translate(new KafkaException("wrapped", fenced)));
        WeirException listener = new WeirException("from a rebalance listener");
        assertSame(listener, KafkaErrors.translate(new KafkaException("User rebalance callback throws", listener)));
        WeirException unknown =
                assertInstanceOf(WeirException.class, KafkaErrors.translate(new KafkaException("something new")));
        assertTrue(unknown.getMessage().contains("something new"), unknown.getMessage());
    }

    @Test
    void producerErrorStateIsAnIllegalStateWithTheTranslatedCauseAndFencingStaysItself() {
        var expired = new org.apache.kafka.common.errors.TimeoutException("batch expired");
        var errorState =
                new KafkaException("Cannot execute transactional method because we are in an error state", expired);
        IllegalClientStateException illegal =
                assertInstanceOf(IllegalClientStateException.class, KafkaErrors.translateProducer(errorState));
        assertInstanceOf(TimeoutException.class, illegal.getCause());
        assertTrue(illegal.getMessage().contains("error state"), illegal.getMessage());
        var fenced = new org.apache.kafka.common.errors.ProducerFencedException("newer epoch");
        assertInstanceOf(ProducerFencedException.class, KafkaErrors.translateProducer(fenced));
        assertInstanceOf(
                ProducerFencedException.class, KafkaErrors.translateProducer(new KafkaException("wrapped", fenced)));
        assertInstanceOf(
                InvalidProducerEpochException.class,
                KafkaErrors.translateProducer(
                        new org.apache.kafka.common.errors.InvalidProducerEpochException("old epoch")));
        var closed = new KafkaException("Producer is closed forcefully.");
        IllegalClientStateException forced = assertInstanceOf(
                IllegalClientStateException.class, KafkaErrors.translateProducer(new ExecutionException(closed)));
        assertSame(closed, forced.getCause());
        assertInstanceOf(TimeoutException.class, KafkaErrors.translateProducer(expired));
    }

    @Test
    void kafkasConfigExceptionIsAnInvalidConfiguration() {
        assertInstanceOf(
                InvalidConfigurationException.class,
                KafkaErrors.translate(new org.apache.kafka.common.config.ConfigException("acks", "x", "bad")));
    }

    @Test
    void aSerializersOwnExceptionBecomesASerializationExceptionNamingTheTopic() {
        io.weir.common.serialization.Serializer<String> failing = (topic, data) -> {
            throw new IllegalArgumentException("cannot encode " + data);
        };
        var kafka = KafkaSerdes.kafka(failing, "value");
        io.weir.common.errors.SerializationException e =
                assertThrows(io.weir.common.errors.SerializationException.class, () -> kafka.serialize("orders", "x"));
        assertTrue(e.getMessage().contains("value") && e.getMessage().contains("'orders'"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }
}
