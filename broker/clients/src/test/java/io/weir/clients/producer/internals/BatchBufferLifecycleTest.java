package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.internals.FakeBroker;
import io.weir.clients.producer.Acks;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.serialization.ByteArraySerializer;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * When a batch's pooled buffer goes back to the pool: once the batch is complete (acknowledged, failed, expired,
 * aborted) and the broker has answered every request that carried it — never while the broker may still read it.
 */
class BatchBufferLifecycleTest {
    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private static final int BATCH = 1024;
    private final MockTime time = new MockTime();
    private final FakeBroker broker = new FakeBroker();
    private final List<CompletableFuture<ProduceResponse>> pending = new ArrayList<>();

    BatchBufferLifecycleTest() {
        broker.onMetadata = r -> CompletableFuture.completedFuture(new MetadataResponse(
                0, "c", Map.of("t", new MetadataResponse.TopicMetadata(ApiError.NONE, "t", 2, Map.of()))));
        broker.onProduce = r -> {
            CompletableFuture<ProduceResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        };
    }

    private ProducerImpl<byte[], byte[]> producer(ProducerConfig.Builder b) {
        return producer(b, BATCH);
    }

    private ProducerImpl<byte[], byte[]> producer(ProducerConfig.Builder b, int batchSize) {
        return new ProducerImpl<>(
                b.bootstrapServers("embedded:fake")
                        .batchSize(batchSize)
                        .bufferMemory(4 * BATCH)
                        .build(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                broker,
                time,
                ProducerImpl.SenderStart.CALLER_DRIVES);
    }

    private static ProducerConfig.Builder config() {
        return ProducerConfig.builder().lingerMs(0).retryBackoffMs(100);
    }

    private static Future<RecordMetadata> send(ProducerImpl<byte[], byte[]> p, int partition) {
        return p.send(new ProducerRecord<>("t", partition, 1000L, null, new byte[10]));
    }

    private ByteBuffer sentBatch(int request) {
        return broker.requestsOf(ProduceRequest.class).get(request).batches().get(TP0);
    }

    private static ProduceResponse answer(ProduceRequest request, Errors error) {
        Map<TopicPartition, ProduceResponse.PartitionResponse> out = new HashMap<>();
        request.batches()
                .keySet()
                .forEach(tp -> out.put(
                        tp,
                        error == Errors.NONE
                                ? new ProduceResponse.PartitionResponse(ApiError.NONE, 0, -1, 0)
                                : ProduceResponse.PartitionResponse.error(new ApiError(error, error + " for " + tp))));
        return new ProduceResponse(out);
    }

    private void answer(int request, Errors error) {
        pending.get(request)
                .complete(answer(broker.requestsOf(ProduceRequest.class).get(request), error));
    }

    private static BufferPool pool(ProducerImpl<?, ?> p) {
        return p.accumulator().pool();
    }

    @Test
    void anAcknowledgedBatchsBufferCarriesTheNextBatch() throws Exception {
        var p = producer(config());
        send(p, 0);
        p.sender().runOnce();
        answer(0, Errors.NONE);
        p.sender().runOnce();
        assertTrue(pool(p).isFree(sentBatch(0)));
        assertEquals(4 * BATCH, pool(p).availableMemory());
        send(p, 0);
        p.sender().runOnce();
        assertSame(sentBatch(0).array(), sentBatch(1).array());
        assertEquals(
                sentBatch(0).arrayOffset(),
                sentBatch(1).arrayOffset(),
                "the second batch was written into the first's buffer");
    }

    @Test
    void batchSizeZeroSendsEachRecordInABufferOfItsOwnAndPoolsNothing() throws Exception {
        var p = producer(config(), 0);
        Future<RecordMetadata> first = send(p, 0);
        Future<RecordMetadata> second = send(p, 0);
        p.sender().runOnce();
        answer(0, Errors.NONE);
        p.sender().runOnce();
        p.sender().runOnce();
        if (pending.size() > 1) {
            answer(1, Errors.NONE);
            p.sender().runOnce();
        }
        first.get(0, java.util.concurrent.TimeUnit.SECONDS);
        second.get(0, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, pool(p).freeBuffers(), "nothing is pooled");
        assertEquals(4 * BATCH, pool(p).availableMemory(), "every byte counted back");
    }

    @Test
    void aFailedBatchReturnsItsBuffer() {
        var p = producer(config());
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        answer(0, Errors.CORRUPT_MESSAGE);
        p.sender().runOnce();
        assertThrows(ExecutionException.class, f::get);
        assertTrue(pool(p).isFree(sentBatch(0)));
        assertEquals(4 * BATCH, pool(p).availableMemory());
    }

    @Test
    void aTimedOutRequestKeepsItsBufferUntilTheBrokerAnswersAndNoOtherBatchWritesIntoIt() throws Exception {
        var p = producer(config().retries(0).requestTimeoutMs(1000));
        Future<RecordMetadata> first = send(p, 0);
        p.sender().runOnce();
        byte[] asSent = bytes(sentBatch(0));
        time.sleep(1000);
        p.sender().runOnce(); // the request times out; with retries=0 the batch fails at once
        assertThrows(ExecutionException.class, first::get);
        assertFalse(pool(p).isFree(sentBatch(0)), "the broker may still be reading the first request");
        assertEquals(3 * BATCH, pool(p).availableMemory());

        for (int i = 0; i < 3; i++) {
            p.send(new ProducerRecord<>("t", 0, 2000L + i, new byte[] {7}, new byte[200]));
        }
        p.sender().runOnce();
        assertTrue(sentBatch(0).arrayOffset() != sentBatch(1).arrayOffset()
                || sentBatch(0).array() != sentBatch(1).array());
        assertArrayEquals(asSent, bytes(sentBatch(0)), "the bytes the broker holds did not change");

        answer(0, Errors.NONE); // late: ignored, but the broker is done with the bytes now
        p.sender().runOnce();
        assertTrue(pool(p).isFree(sentBatch(0)));
    }

    @Test
    void batchesFailedByAForcedCloseReturnTheirBuffersUnlessStillInARequest() {
        var p = producer(config());
        send(p, 0);
        p.sender().runOnce(); // in flight, unanswered
        send(p, 0); // buffered, never sent
        p.sender().forceClose();
        p.sender().run(); // the loop ends at once and fails both batches
        assertFalse(pool(p).isFree(sentBatch(0)), "the broker may still read the sent batch");
        assertEquals(3 * BATCH, pool(p).availableMemory(), "the unsent batch's buffer is back");
    }

    @Test
    void aGracefulCloseReturnsEveryBuffer() {
        broker.onProduce = r -> CompletableFuture.completedFuture(answer(r, Errors.NONE));
        var p = producer(config());
        send(p, 0);
        send(p, 1);
        p.accumulator().close();
        p.sender().initiateClose();
        p.sender().run();
        assertEquals(4 * BATCH, pool(p).availableMemory());
        assertTrue(pool(p).isFree(sentBatch(0)));
    }

    @Test
    void anAcksZeroBatchsBufferIsNeverReusedSinceTheBrokerAnswersBeforeReadingIt() {
        var p = producer(config().acks(Acks.NONE));
        send(p, 0);
        p.sender().runOnce();
        answer(0, Errors.NONE);
        p.sender().runOnce();
        assertFalse(pool(p).isFree(sentBatch(0)));
        assertEquals(4 * BATCH, pool(p).availableMemory(), "its bytes count as free all the same");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void aSendFromACallbackIsNotQueuedBehindASendWaitingForMemory() throws Exception {
        var p = producer(config().maxBlockMs(60_000));
        AtomicReference<Future<RecordMetadata>> fromCallback = new AtomicReference<>();
        p.send(
                new ProducerRecord<>("t", 0, 1000L, null, new byte[10]),
                (metadata, error) -> fromCallback.set(send(p, 0)));
        p.sender().runOnce();
        // Another thread's record needs more than is free: it waits for returned memory (its max.block.ms, on the
        // MockTime, passes only when the test says).
        CompletableFuture<Future<RecordMetadata>> large = CompletableFuture.supplyAsync(
                () -> p.send(new ProducerRecord<>("t", 1, 1000L, null, new byte[7 * BATCH / 2])));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool(p).waiters() == 0) {
            assertTrue(System.nanoTime() < deadline, "the large send never started waiting");
            Thread.onSpinWait();
        }
        answer(0, Errors.NONE);
        // The sender runs the batch's callbacks before it returns the batch's buffer, the memory the large record
        // waits for: queued behind it, the callback's send (a new batch) would stall the sender for max.block.ms.
        CompletableFuture.runAsync(() -> p.sender().runOnce()).get(10, TimeUnit.SECONDS);
        assertTrue(fromCallback.get() != null, "the callback ran and its send returned");
        assertFalse(large.isDone(), "the large record still waits: the memory free now is not enough");

        time.sleep(60_000); // max.block.ms: the large send gives up
        large.handle((f, e) -> null).get(10, TimeUnit.SECONDS);
    }
}
