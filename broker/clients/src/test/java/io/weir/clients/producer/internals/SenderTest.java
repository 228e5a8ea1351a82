package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.internals.FakeBroker;
import io.weir.clients.producer.Acks;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.RecordBatch;
import io.weir.common.serialization.ByteArraySerializer;
import io.weir.common.utils.MockTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Drives the sender by hand ({@code runOnce}) against a scripted broker, with a manual clock. */
class SenderTest {
    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private final MockTime time = new MockTime();
    private final FakeBroker broker = new FakeBroker();
    /** Produce requests the broker has not answered yet, oldest first. */
    private final List<CompletableFuture<ProduceResponse>> pending = new ArrayList<>();

    SenderTest() {
        broker.onMetadata = r -> CompletableFuture.completedFuture(new MetadataResponse(
                0, "c", Map.of("t", new MetadataResponse.TopicMetadata(ApiError.NONE, "t", 2, Map.of()))));
        broker.onProduce = r -> {
            CompletableFuture<ProduceResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        };
    }

    private ProducerImpl<byte[], byte[]> producer(ProducerConfig.Builder b) {
        return new ProducerImpl<>(
                b.bootstrapServers("embedded:fake").build(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                broker,
                time,
                ProducerImpl.SenderStart.CALLER_DRIVES);
    }

    private static ProducerConfig.Builder config() {
        return ProducerConfig.builder().lingerMs(0).retryBackoffMs(100);
    }

    private Future<RecordMetadata> send(ProducerImpl<byte[], byte[]> p, int partition) {
        return p.send(new ProducerRecord<>("t", partition, 1000L, null, new byte[10]));
    }

    private ProduceRequest lastRequest() {
        List<ProduceRequest> requests = broker.requestsOf(ProduceRequest.class);
        return requests.get(requests.size() - 1);
    }

    private static ProduceResponse answer(ProduceRequest request, Errors error, long baseOffset) {
        Map<TopicPartition, ProduceResponse.PartitionResponse> out = new HashMap<>();
        request.batches()
                .keySet()
                .forEach(tp -> out.put(
                        tp,
                        error == Errors.NONE
                                ? new ProduceResponse.PartitionResponse(ApiError.NONE, baseOffset, -1, 0)
                                : ProduceResponse.PartitionResponse.error(new ApiError(error, error + " for " + tp))));
        return new ProduceResponse(out);
    }

    @Test
    void completesFuturesWithTheBrokersOffsetsAndRunsCallbacksInOrder() throws Exception {
        var p = producer(config());
        List<Long> seen = new ArrayList<>();
        Future<RecordMetadata> a =
                p.send(new ProducerRecord<>("t", 0, 1000L, null, new byte[10]), (m, e) -> seen.add(m.offset()));
        Future<RecordMetadata> b =
                p.send(new ProducerRecord<>("t", 0, 1001L, new byte[3], new byte[10]), (m, e) -> seen.add(m.offset()));
        p.sender().runOnce();
        assertEquals(1, pending.size());
        assertEquals(2, RecordBatch.wrap(lastRequest().batches().get(TP0)).recordCount());
        assertEquals(Acks.ALL.code(), lastRequest().acks());
        assertFalse(a.isDone());
        pending.get(0).complete(answer(lastRequest(), Errors.NONE, 40));
        p.sender().runOnce();
        assertEquals(40, a.get().offset());
        assertEquals(41, b.get().offset());
        assertEquals(1001L, b.get().timestamp());
        assertEquals(3, b.get().serializedKeySize());
        assertEquals(-1, a.get().serializedKeySize());
        assertEquals(List.of(40L, 41L), seen);
    }

    @Test
    void retriesARetriableErrorAfterTheBackoff() throws Exception {
        var p = producer(config());
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        pending.get(0).complete(answer(lastRequest(), Errors.KAFKA_STORAGE_ERROR, -1));
        p.sender().runOnce();
        assertFalse(f.isDone());
        assertEquals(1, pending.size(), "no resend before retry.backoff.ms");
        time.sleep(100);
        p.sender().runOnce();
        assertEquals(2, pending.size());
        pending.get(1).complete(answer(lastRequest(), Errors.NONE, 7));
        p.sender().runOnce();
        assertEquals(7, f.get().offset());
    }

    @Test
    void givesUpAfterRetriesAttempts() {
        var p = producer(config().retries(1));
        Future<RecordMetadata> f = send(p, 0);
        for (int attempt = 0; attempt < 2; attempt++) {
            p.sender().runOnce();
            pending.get(attempt).complete(answer(lastRequest(), Errors.KAFKA_STORAGE_ERROR, -1));
            p.sender().runOnce();
            time.sleep(100);
        }
        p.sender().runOnce();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(KafkaStorageException.class, e.getCause());
        assertEquals(2, pending.size());
    }

    @Test
    void failsANonRetriableErrorAtOnce() {
        var p = producer(config());
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        pending.get(0).complete(answer(lastRequest(), Errors.CORRUPT_MESSAGE, -1));
        p.sender().runOnce();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(CorruptRecordException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("t-0"));
    }

    @Test
    void retriesARequestThatGotNoAnswerWithinRequestTimeout() throws Exception {
        var p = producer(config().requestTimeoutMs(1000));
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        time.sleep(1000);
        p.sender().runOnce(); // times out the request and re-enqueues
        time.sleep(100);
        p.sender().runOnce();
        assertEquals(2, pending.size());
        pending.get(0)
                .complete(answer(broker.requestsOf(ProduceRequest.class).get(0), Errors.NONE, 1)); // too late: ignored
        pending.get(1).complete(answer(lastRequest(), Errors.NONE, 5));
        p.sender().runOnce();
        assertEquals(5, f.get().offset());
    }

    @Test
    void failsWithTimeoutOnceDeliveryTimeoutPasses() {
        var p = producer(config().requestTimeoutMs(1000).deliveryTimeoutMs(1500));
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        time.sleep(1000);
        p.sender().runOnce(); // request timed out, retried later
        time.sleep(500);
        p.sender().runOnce();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    @Test
    void keepsAtMostMaxInFlightRequestsOutstanding() {
        var p = producer(config().maxInFlightRequestsPerConnection(1));
        send(p, 0);
        p.sender().runOnce();
        send(p, 1);
        p.sender().runOnce();
        assertEquals(1, pending.size(), "the second batch waits for the first request");
        pending.get(0).complete(answer(lastRequest(), Errors.NONE, 0));
        p.sender().runOnce();
        assertEquals(2, pending.size());
    }

    @Test
    void carriesManyPartitionsInOneRequest() {
        var p = producer(config());
        send(p, 0);
        send(p, 1);
        p.sender().runOnce();
        assertEquals(1, pending.size());
        assertEquals(2, lastRequest().batches().size());
    }

    @Test
    void acksZeroReportsOffsetMinusOne() throws Exception {
        var p = producer(config().acks(Acks.NONE));
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        assertEquals(0, lastRequest().acks());
        pending.get(0).complete(answer(lastRequest(), Errors.NONE, -1));
        p.sender().runOnce();
        assertEquals(-1, f.get().offset());
        assertFalse(f.get().hasOffset());
    }

    @Test
    void unknownTopicOrPartitionFromTheBrokerIsRetriedWithFreshMetadata() throws Exception {
        var p = producer(config());
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        int metadataCalls =
                broker.requestsOf(io.weir.common.protocol.MetadataRequest.class).size();
        pending.get(0).complete(answer(lastRequest(), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1));
        p.sender().runOnce();
        send(p, 1);
        assertEquals(
                metadataCalls + 1,
                broker.requestsOf(io.weir.common.protocol.MetadataRequest.class).size());
        time.sleep(100);
        p.sender().runOnce();
        pending.get(1).complete(answer(lastRequest(), Errors.NONE, 3));
        p.sender().runOnce();
        assertEquals(3, f.get().offset());
    }
}
