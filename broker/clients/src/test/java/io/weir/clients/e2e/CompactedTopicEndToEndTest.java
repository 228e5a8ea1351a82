package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.record.CompressionType;
import io.weir.common.serialization.StringSerializer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A real producer against a compacted topic of an embedded broker: records need keys, as in Kafka. */
class CompactedTopicEndToEndTest {
    private static final long WAIT_SECONDS = 30;
    private static final TopicPartition TP = new TopicPartition("compacted", 0);

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void open() throws Exception {
        broker = EmbeddedBroker.open(new Properties());
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TP.topic(), 1, Map.of("cleanup.policy", "compact"))))
                .all()
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    private Producer<String, String> producer(ProducerConfig.Builder b) {
        return Producer.create(
                b.bootstrapServers(broker.bootstrapServers()).build(), new StringSerializer(), new StringSerializer());
    }

    private long logEnd() throws Exception {
        return admin.listOffsets(Map.of(TP, OffsetSpec.latest()))
                .all()
                .get(WAIT_SECONDS, TimeUnit.SECONDS)
                .get(TP)
                .offset();
    }

    private static Throwable failure(Future<RecordMetadata> send) {
        return assertThrows(ExecutionException.class, () -> send.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .getCause();
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"NONE", "GZIP", "ZSTD"})
    void keylessRecordFailsWithInvalidRecordAndKeyedOnesAreWritten(CompressionType compression) throws Exception {
        try (Producer<String, String> p = producer(ProducerConfig.builder().compressionType(compression))) {
            Throwable e = failure(p.send(new ProducerRecord<>(TP.topic(), "no key")));

            assertInstanceOf(InvalidRecordException.class, e);
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "Compacted topic cannot accept message without key in topic partition compacted-0"),
                    e.getMessage());
            assertEquals(0, logEnd(), "nothing was written");

            assertEquals(
                    0,
                    p.send(new ProducerRecord<>(TP.topic(), "k1", "v1"))
                            .get(WAIT_SECONDS, TimeUnit.SECONDS)
                            .offset());
            assertEquals(
                    1,
                    p.send(new ProducerRecord<>(TP.topic(), "k2", "v2"))
                            .get(WAIT_SECONDS, TimeUnit.SECONDS)
                            .offset());
        }
        assertEquals(2, logEnd());
    }

    @Test
    void keyedRecordBatchedWithAKeylessOneFailsWithIt() throws Exception {
        // One long linger and a flush put both records in one batch, which the broker refuses whole, as Kafka does.
        try (Producer<String, String> p = producer(ProducerConfig.builder().lingerMs(60_000))) {
            Future<RecordMetadata> keyed = p.send(new ProducerRecord<>(TP.topic(), "k", "v"));
            Future<RecordMetadata> keyless = p.send(new ProducerRecord<>(TP.topic(), "v"));
            p.flush();

            assertInstanceOf(InvalidRecordException.class, failure(keyless));
            assertInstanceOf(InvalidRecordException.class, failure(keyed));
        }
        assertEquals(0, logEnd());
    }

    @Test
    void nonIdempotentProducerGetsTheSameRefusal() throws Exception {
        try (Producer<String, String> p = producer(ProducerConfig.builder().enableIdempotence(false))) {
            assertInstanceOf(InvalidRecordException.class, failure(p.send(new ProducerRecord<>(TP.topic(), "no key"))));
            assertEquals(
                    0,
                    p.send(new ProducerRecord<>(TP.topic(), "k", "v"))
                            .get(WAIT_SECONDS, TimeUnit.SECONDS)
                            .offset());
        }
    }
}
