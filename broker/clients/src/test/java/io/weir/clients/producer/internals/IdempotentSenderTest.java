package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.internals.FakeBroker;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.RecordBatch;
import io.weir.common.serialization.ByteArraySerializer;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The idempotent producer's sequences, retries and epoch bumps, driven by hand against a scripted broker. */
class IdempotentSenderTest {
    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private static final TopicPartition TP1 = new TopicPartition("t", 1);
    private final MockTime time = new MockTime();
    private final FakeBroker broker = new FakeBroker();
    private final List<CompletableFuture<ProduceResponse>> pending = new ArrayList<>();
    private final ProducerImpl<byte[], byte[]> producer;

    IdempotentSenderTest() {
        broker.onMetadata = r -> CompletableFuture.completedFuture(new MetadataResponse(
                0, "c", Map.of("t", new MetadataResponse.TopicMetadata(ApiError.NONE, "t", 2, Map.of()))));
        broker.onProduce = r -> {
            CompletableFuture<ProduceResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        };
        producer = new ProducerImpl<>(
                ProducerConfig.builder()
                        .bootstrapServers("embedded:fake")
                        .lingerMs(0)
                        .retryBackoffMs(100)
                        .requestTimeoutMs(1000)
                        .build(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                broker,
                time,
                ProducerImpl.SenderStart.CALLER_DRIVES);
    }

    private Future<RecordMetadata> send(int partition) {
        return producer.send(new ProducerRecord<>("t", partition, 1000L, null, new byte[10]));
    }

    private void run() {
        producer.sender().runOnce();
    }

    private List<ProduceRequest> produced() {
        return broker.requestsOf(ProduceRequest.class);
    }

    private static RecordBatch batch(ProduceRequest request, TopicPartition tp) {
        return RecordBatch.wrap(request.batches().get(tp));
    }

    /** Answers produce request {@code index} with {@code error} for every partition, or success at {@code offset}. */
    private void answer(int index, Errors error, long offset) {
        ProduceRequest request = produced().get(index);
        Map<TopicPartition, ProduceResponse.PartitionResponse> out = new java.util.HashMap<>();
        request.batches()
                .keySet()
                .forEach(tp -> out.put(
                        tp,
                        error == Errors.NONE
                                ? new ProduceResponse.PartitionResponse(ApiError.NONE, offset, -1, 0)
                                : ProduceResponse.PartitionResponse.error(new ApiError(error, error + " for " + tp))));
        pending.get(index).complete(new ProduceResponse(out));
        run();
    }

    @Test
    void getsAProducerIdFirstThenStampsGapFreeSequencesPerPartition() {
        send(0);
        run();
        send(0);
        send(1);
        run();
        List<Object> calls = broker.requests.stream()
                .filter(r -> r instanceof InitProducerIdRequest || r instanceof ProduceRequest)
                .toList();
        InitProducerIdRequest init = assertInstanceOf(InitProducerIdRequest.class, calls.get(0));
        assertNull(init.transactionalId());
        assertEquals(2, produced().size());
        RecordBatch first = batch(produced().get(0), TP0);
        assertEquals(1000L, first.producerId());
        assertEquals(0, first.producerEpoch());
        assertEquals(0, first.baseSequence());
        assertFalse(first.isTransactional());
        first.ensureValid();
        assertEquals(1, batch(produced().get(1), TP0).baseSequence());
        assertEquals(0, batch(produced().get(1), TP1).baseSequence());
        assertEquals(1, broker.requestsOf(InitProducerIdRequest.class).size());
    }

    @Test
    void retriesInitProducerIdOnRetriableErrorsAndSendsNothingBefore() {
        AtomicInteger calls = new AtomicInteger();
        broker.onInitProducerId = r -> calls.getAndIncrement() == 0
                ? CompletableFuture.completedFuture(new InitProducerIdResponse(
                        new ApiError(Errors.COORDINATOR_LOAD_IN_PROGRESS, "loading"), -1, (short) -1))
                : broker.grantProducerId(r);
        send(0);
        run();
        assertEquals(0, produced().size());
        time.sleep(99);
        run();
        assertEquals(1, calls.get(), "retry.backoff.ms is respected");
        time.sleep(1);
        run();
        assertEquals(2, calls.get());
        assertEquals(1, produced().size());
    }

    @Test
    void retriedBatchesGoAloneInSequenceOrderWithTheirOriginalStamp() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        Future<RecordMetadata> b = send(0);
        run();
        Future<RecordMetadata> c = send(0);
        run();
        assertEquals(3, produced().size(), "up to max.in.flight requests pipeline one partition");
        answer(0, Errors.KAFKA_STORAGE_ERROR, -1);
        answer(1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1); // not the next expected: an earlier batch will be retried
        answer(2, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        Future<RecordMetadata> d = send(0);
        time.sleep(100);
        run();
        assertEquals(4, produced().size(), "only the oldest retry goes");
        assertEquals(0, batch(produced().get(3), TP0).baseSequence());
        answer(3, Errors.NONE, 10);
        time.sleep(100);
        run();
        assertEquals(5, produced().size());
        assertEquals(1, batch(produced().get(4), TP0).baseSequence());
        answer(4, Errors.NONE, 11);
        run();
        assertEquals(2, batch(produced().get(5), TP0).baseSequence());
        assertEquals(6, produced().size(), "the new batch waits behind the last retry until it is acknowledged");
        answer(5, Errors.NONE, 12);
        run();
        assertEquals(3, batch(produced().get(6), TP0).baseSequence());
        answer(6, Errors.NONE, 13);
        assertEquals(
                List.of(10L, 11L, 12L, 13L),
                List.of(
                        a.get().offset(),
                        b.get().offset(),
                        c.get().offset(),
                        d.get().offset()));
    }

    @Test
    void outOfOrderForTheNextExpectedBatchFailsItAndBumpsTheEpoch() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        Future<RecordMetadata> b = send(0);
        run();
        Future<RecordMetadata> c = send(0);
        run();
        answer(0, Errors.NONE, 0);
        answer(1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        ExecutionException e = assertThrows(ExecutionException.class, b::get);
        OutOfOrderSequenceException oos = assertInstanceOf(OutOfOrderSequenceException.class, e.getCause());
        assertTrue(
                oos.getMessage().contains("t-0")
                        && oos.getMessage().contains("producer id 1000 epoch 0")
                        && oos.getMessage().contains("sequences 1..1")
                        && oos.getMessage().contains("bumps its epoch"),
                oos.getMessage());
        answer(2, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1); // follows the lost batch: retried under the new epoch
        assertFalse(c.isDone());
        time.sleep(100);
        run();
        RecordBatch resent = batch(produced().get(3), TP0);
        assertEquals(1, resent.producerEpoch());
        assertEquals(0, resent.baseSequence());
        resent.ensureValid();
        answer(3, Errors.NONE, 1);
        assertEquals(0, a.get().offset());
        assertEquals(1, c.get().offset());
        send(0);
        run();
        assertEquals(1, batch(produced().get(4), TP0).baseSequence());
        assertEquals(1, batch(produced().get(4), TP0).producerEpoch());
    }

    @Test
    void unknownProducerIdBumpsTheEpochAndResendsTheUnackedBatchesFromSequenceZero() throws Exception {
        send(0);
        run();
        answer(0, Errors.NONE, 0);
        Future<RecordMetadata> b = send(0);
        run();
        Future<RecordMetadata> c = send(0);
        run();
        answer(1, Errors.UNKNOWN_PRODUCER_ID, -1);
        answer(2, Errors.UNKNOWN_PRODUCER_ID, -1);
        time.sleep(100);
        run();
        assertEquals(4, produced().size());
        RecordBatch first = batch(produced().get(3), TP0);
        assertEquals(1, first.producerEpoch());
        assertEquals(0, first.baseSequence());
        answer(3, Errors.NONE, 1);
        time.sleep(100);
        run();
        assertEquals(1, batch(produced().get(4), TP0).baseSequence());
        answer(4, Errors.NONE, 2);
        assertEquals(1, b.get().offset());
        assertEquals(2, c.get().offset());
        assertEquals(1, broker.requestsOf(InitProducerIdRequest.class).size(), "a local bump, no new producer id");
    }

    @Test
    void anExhaustedEpochGetsANewProducerId() throws Exception {
        broker.onInitProducerId = r -> CompletableFuture.completedFuture(new InitProducerIdResponse(
                ApiError.NONE,
                broker.requestsOf(InitProducerIdRequest.class).size() == 1 ? 7L : 8L,
                broker.requestsOf(InitProducerIdRequest.class).size() == 1 ? Short.MAX_VALUE : 0));
        Future<RecordMetadata> a = send(0);
        run();
        assertEquals(Short.MAX_VALUE, batch(produced().get(0), TP0).producerEpoch());
        answer(0, Errors.UNKNOWN_PRODUCER_ID, -1);
        time.sleep(100);
        run();
        run();
        assertEquals(2, broker.requestsOf(InitProducerIdRequest.class).size());
        RecordBatch resent = batch(produced().get(1), TP0);
        assertEquals(8L, resent.producerId());
        assertEquals(0, resent.producerEpoch());
        assertEquals(0, resent.baseSequence());
        answer(1, Errors.NONE, 4);
        assertEquals(4, a.get().offset());
    }

    @Test
    void aResendOfAWrittenBatchIsAcknowledgedOnceWithTheOriginalOffset() throws Exception {
        AtomicInteger callbacks = new AtomicInteger();
        Future<RecordMetadata> a = producer.send(
                new ProducerRecord<>("t", 0, 1000L, null, new byte[10]), (m, e) -> callbacks.incrementAndGet());
        run();
        time.sleep(1000);
        run(); // no answer within request.timeout.ms: retried
        time.sleep(100);
        run();
        assertEquals(2, produced().size());
        assertEquals(
                batch(produced().get(0), TP0).baseSequence(),
                batch(produced().get(1), TP0).baseSequence(),
                "the same stamp");
        answer(1, Errors.NONE, 42); // the broker recognised the duplicate
        answer(0, Errors.NONE, 42); // the first answer, too late: ignored
        assertEquals(42, a.get().offset());
        assertEquals(1, callbacks.get());
    }

    @Test
    void duplicateSequenceIsSuccessWithoutAnOffset() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        answer(0, Errors.DUPLICATE_SEQUENCE_NUMBER, -1);
        assertEquals(-1, a.get().offset());
    }

    @Test
    void aBatchThatFailsForGoodBumpsTheEpochOnceThePartitionsAwaitingItHaveNothingInFlight() throws Exception {
        send(0);
        send(1);
        run();
        Future<RecordMetadata> p1 = send(1);
        run();
        assertEquals(2, produced().size());
        answer(0, Errors.CORRUPT_MESSAGE, -1); // fails both batches of request 0; partition 1 still has one in flight
        Future<RecordMetadata> p0 = send(0);
        time.sleep(100);
        run();
        assertEquals(2, produced().size(), "nothing goes under the old epoch's broken sequences, nor before the bump");
        answer(1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1); // behind the failed batch: retried after the rewrite
        assertEquals(3, produced().size(), "the bump lets partition 0's new batch go at once");
        assertEquals(1, batch(produced().get(2), TP0).producerEpoch());
        assertEquals(0, batch(produced().get(2), TP0).baseSequence());
        time.sleep(100);
        run();
        RecordBatch resent = batch(produced().get(3), TP1);
        assertEquals(1, resent.producerEpoch());
        assertEquals(0, resent.baseSequence());
        answer(2, Errors.NONE, 9);
        answer(3, Errors.NONE, 5);
        assertEquals(9, p0.get().offset());
        assertEquals(5, p1.get().offset());
    }

    @Test
    void aBatchThatMayHaveBeenWrittenIsResolvedUnderItsOldStampBeforeTheRewrite() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        Future<RecordMetadata> b = send(0);
        run();
        answer(0, Errors.REQUEST_TIMED_OUT, -1); // written or not: unknown
        answer(1, Errors.CORRUPT_MESSAGE, -1); // refused for good: the partition needs a new epoch
        assertInstanceOf(
                io.weir.common.errors.CorruptRecordException.class,
                assertThrows(ExecutionException.class, b::get).getCause());
        time.sleep(100);
        run();
        RecordBatch resolving = batch(produced().get(2), TP0);
        assertEquals(0, resolving.producerEpoch(), "re-stamping a batch the broker may hold would write it twice");
        assertEquals(0, resolving.baseSequence());
        answer(2, Errors.NONE, 3); // it was written: the broker answers the duplicate with its offset
        assertEquals(3, a.get().offset());
        send(0);
        run();
        RecordBatch next = batch(produced().get(3), TP0);
        assertEquals(1, next.producerEpoch());
        assertEquals(0, next.baseSequence());
    }

    @Test
    void aResendRefusedBeforeTheSequenceCheckLeavesTheBatchUnderItsOldStamp() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        Future<RecordMetadata> b = send(0);
        run();
        answer(0, Errors.REQUEST_TIMED_OUT, -1); // written, but the answer was lost
        answer(1, Errors.CORRUPT_MESSAGE, -1); // refused for good: the partition needs a new epoch
        assertThrows(ExecutionException.class, b::get);
        time.sleep(100);
        run();
        answer(2, Errors.KAFKA_STORAGE_ERROR, -1); // refuses this attempt only: the first one may still be in the log
        time.sleep(100);
        run();
        RecordBatch resolving = batch(produced().get(3), TP0);
        assertEquals(0, resolving.producerEpoch(), "re-stamping a batch the broker may hold would write it twice");
        assertEquals(0, resolving.baseSequence());
        answer(3, Errors.NONE, 3);
        assertEquals(3, a.get().offset());
        send(0);
        run();
        RecordBatch next = batch(produced().get(4), TP0);
        assertEquals(1, next.producerEpoch());
        assertEquals(0, next.baseSequence());
    }

    @Test
    void anOutOfOrderAnswerToTheResendSettlesThatTheBatchWasNotWritten() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        Future<RecordMetadata> b = send(0);
        run();
        answer(0, Errors.REQUEST_TIMED_OUT, -1);
        answer(1, Errors.CORRUPT_MESSAGE, -1);
        assertThrows(ExecutionException.class, b::get);
        time.sleep(100);
        run();
        answer(2, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1); // neither a duplicate nor next: the first attempt was lost
        time.sleep(100);
        run();
        RecordBatch rewritten = batch(produced().get(3), TP0);
        assertEquals(1, rewritten.producerEpoch());
        assertEquals(0, rewritten.baseSequence());
        answer(3, Errors.NONE, 7);
        assertEquals(7, a.get().offset());
    }

    @Test
    void aRewriteLeavesTheBytesOfARequestTheBrokerHasNotAnsweredUntouched() throws Exception {
        Future<RecordMetadata> a = send(0);
        run();
        byte[] held = bytes(produced().get(0).batches().get(TP0));
        time.sleep(1000);
        run(); // no answer within request.timeout.ms; the broker still holds request 0 (behind a slow fsync, say)
        time.sleep(100);
        run(); // the resend under the old stamp
        assertEquals(2, produced().size());
        answer(1, Errors.UNKNOWN_PRODUCER_ID, -1); // the broker forgot the producer: bump the epoch, rewrite
        time.sleep(100);
        run();
        RecordBatch rewritten = batch(produced().get(2), TP0);
        assertEquals(1, rewritten.producerEpoch());
        assertEquals(0, rewritten.baseSequence());
        rewritten.ensureValid();
        assertArrayEquals(
                held,
                bytes(produced().get(0).batches().get(TP0)),
                "the bytes of request 0, which the broker may still be reading, did not change");
        answer(2, Errors.NONE, 7);
        assertEquals(7, a.get().offset());
        answer(0, Errors.UNKNOWN_PRODUCER_ID, -1); // the late answer: ignored, the broker is done with the bytes
        assertEquals(
                producer.accumulator().pool().totalMemory(),
                producer.accumulator().pool().availableMemory(),
                "the pooled buffer is back");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
