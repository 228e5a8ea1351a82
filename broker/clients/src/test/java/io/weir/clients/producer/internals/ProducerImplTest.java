package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.internals.FakeBroker;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidTimestampException;
import io.weir.common.errors.InvalidTopicException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.MockTime;
import io.weir.common.utils.Time;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProducerImplTest {
    private final FakeBroker broker = new FakeBroker();

    ProducerImplTest() {
        broker.onMetadata = r -> {
            String topic = r.topics().get(0);
            MetadataResponse.TopicMetadata md =
                    switch (topic) {
                        case "small" -> new MetadataResponse.TopicMetadata(
                                ApiError.NONE, topic, 1, Map.of("max.message.bytes", "200"));
                        case "bad/name" -> new MetadataResponse.TopicMetadata(
                                new ApiError(Errors.INVALID_TOPIC_EXCEPTION, "Topic name 'bad/name' is illegal"),
                                topic,
                                -1,
                                Map.of());
                        case "missing" -> new MetadataResponse.TopicMetadata(
                                new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'missing' does not exist"),
                                topic,
                                -1,
                                Map.of());
                        default -> new MetadataResponse.TopicMetadata(ApiError.NONE, topic, 3, Map.of());
                    };
            return CompletableFuture.completedFuture(new MetadataResponse(0, "c", Map.of(topic, md)));
        };
    }

    private ProducerImpl<String, String> producer(ProducerConfig.Builder b, Time time) {
        return new ProducerImpl<>(
                b.bootstrapServers("embedded:fake").build(),
                new StringSerializer(),
                new StringSerializer(),
                broker,
                time,
                ProducerImpl.SenderStart.CALLER_DRIVES);
    }

    private static Throwable failure(Future<RecordMetadata> f) {
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    @Test
    void recordLargerThanMaxRequestSizeFailsNamingBothSizes() {
        var p = producer(ProducerConfig.builder().maxRequestSize(1000), new MockTime());
        AtomicReference<Exception> callbackError = new AtomicReference<>();
        Future<RecordMetadata> f =
                p.send(new ProducerRecord<>("t", "k", "x".repeat(2000)), (m, e) -> callbackError.set(e));
        Throwable e = failure(f);
        assertInstanceOf(RecordTooLargeException.class, e);
        assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("max.request.size"), e.getMessage());
        assertTrue(e.getMessage().matches(".*is 20\\d\\d bytes.*"), e.getMessage());
        assertSame(e, callbackError.get());
    }

    @Test
    void recordLargerThanTheTopicsMaxMessageBytesFailsNamingBothSizes() {
        var p = producer(ProducerConfig.builder(), new MockTime());
        Throwable e = failure(p.send(new ProducerRecord<>("small", "x".repeat(300))));
        assertInstanceOf(RecordTooLargeException.class, e);
        assertTrue(e.getMessage().contains("200") && e.getMessage().contains("max.message.bytes"), e.getMessage());
    }

    @Test
    void unknownPartitionNumberFailsNamingTopicAndPartition() {
        var p = producer(ProducerConfig.builder(), new MockTime());
        Throwable e = failure(p.send(new ProducerRecord<>("t", 7, "k", "v")));
        assertInstanceOf(UnknownTopicOrPartitionException.class, e);
        assertTrue(
                e.getMessage().contains("Partition 7")
                        && e.getMessage().contains("'t'")
                        && e.getMessage().contains("3 partitions"),
                e.getMessage());
    }

    @Test
    void invalidTopicNameFailsWithInvalidTopic() {
        var p = producer(ProducerConfig.builder(), new MockTime());
        Throwable e = failure(p.send(new ProducerRecord<>("bad/name", "v")));
        assertInstanceOf(InvalidTopicException.class, e);
        assertTrue(e.getMessage().contains("bad/name"));
    }

    @Test
    void unknownTopicTimesOutAfterMaxBlockMsNamingTheTopic() {
        var p = producer(ProducerConfig.builder().maxBlockMs(30).retryBackoffMs(10), Time.SYSTEM);
        Throwable e = failure(p.send(new ProducerRecord<>("missing", "v")));
        assertInstanceOf(TimeoutException.class, e);
        assertTrue(e.getMessage().contains("'missing'") && e.getMessage().contains("30 ms"), e.getMessage());
        assertTrue(broker.requestsOf(MetadataRequest.class).stream().allMatch(MetadataRequest::allowAutoTopicCreation));
    }

    @Test
    void negativeTimestampIsRefusedNamingIt() {
        var e = assertThrows(InvalidTimestampException.class, () -> new ProducerRecord<>("t", 0, -5L, "k", "v"));
        assertTrue(e.getMessage().contains("-5"));
    }

    @Test
    void sendAfterCloseIsRefused() {
        var p = producer(ProducerConfig.builder(), new MockTime());
        p.close(Duration.ZERO);
        p.close();
        var e = assertThrows(IllegalClientStateException.class, () -> p.send(new ProducerRecord<>("t", "v")));
        assertTrue(e.getMessage().contains("closed"));
        assertThrows(IllegalClientStateException.class, p::flush);
    }

    @Test
    void keyedRecordsGoWhereKafkaPutsThem() {
        var p = producer(ProducerConfig.builder(), new MockTime());
        p.send(new ProducerRecord<>("t", "key-1", "v"));
        p.send(new ProducerRecord<>("t", "key-1", "v"));
        // Kafka: toPositive(murmur2("key-1")) % 3
        int expected = io.weir.common.utils.Utils.toPositive(
                        io.weir.common.utils.Utils.murmur2("key-1".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % 3;
        var ready = p.accumulator().ready(Long.MAX_VALUE / 2).partitions();
        assertEquals(1, ready.size());
        assertEquals(expected, ready.get(0).partition());
    }

    @Test
    void missingSerializerIsAConfigurationError() {
        var e = assertThrows(
                InvalidConfigurationException.class,
                () -> new ProducerImpl<String, String>(
                        ProducerConfig.builder().bootstrapServers("embedded:x").build(),
                        null,
                        null,
                        broker,
                        new MockTime(),
                        ProducerImpl.SenderStart.CALLER_DRIVES));
        assertTrue(e.getMessage().contains("key.serializer"));
    }
}
