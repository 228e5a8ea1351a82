package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.FakeBroker;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidTxnTimeoutException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.TransactionAbortedException;
import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnResponse;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.EndTxnResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import io.weir.common.record.RecordBatch;
import io.weir.common.serialization.ByteArraySerializer;
import io.weir.common.utils.MockTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The transactional producer against a scripted coordinator. The sender is driven by hand; the blocking
 * calls are made through the {@link TransactionManager}'s non-blocking halves, whose results the tests check.
 */
class TransactionalProducerTest {
    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private static final TopicPartition TP1 = new TopicPartition("t", 1);
    private final MockTime time = new MockTime();
    private final FakeBroker broker = new FakeBroker();
    private final List<CompletableFuture<ProduceResponse>> pending = new ArrayList<>();

    TransactionalProducerTest() {
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
                b.bootstrapServers("embedded:fake")
                        .lingerMs(0)
                        .retryBackoffMs(100)
                        .build(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                broker,
                time,
                ProducerImpl.SenderStart.CALLER_DRIVES);
    }

    private ProducerImpl<byte[], byte[]> transactional() {
        return producer(ProducerConfig.builder().transactionalId("tx").transactionTimeoutMs(5000));
    }

    /** A transactional producer past initTransactions() and beginTransaction(). */
    private ProducerImpl<byte[], byte[]> inTransaction() {
        var p = transactional();
        TransactionalRequestResult init = p.transactionManager().initializeTransactions();
        p.sender().runOnce();
        init.await(0);
        p.beginTransaction();
        return p;
    }

    private static Future<RecordMetadata> send(ProducerImpl<byte[], byte[]> p, int partition) {
        return p.send(new ProducerRecord<>("t", partition, 1000L, null, new byte[10]));
    }

    private List<ProduceRequest> produced() {
        return broker.requestsOf(ProduceRequest.class);
    }

    private void answerProduce(ProducerImpl<byte[], byte[]> p, int index, Errors error) {
        Map<TopicPartition, ProduceResponse.PartitionResponse> out = new HashMap<>();
        produced()
                .get(index)
                .batches()
                .keySet()
                .forEach(tp -> out.put(
                        tp,
                        error == Errors.NONE
                                ? new ProduceResponse.PartitionResponse(ApiError.NONE, 0, -1, 0)
                                : ProduceResponse.PartitionResponse.error(new ApiError(error, error + " for " + tp))));
        pending.get(index).complete(new ProduceResponse(out));
        p.sender().runOnce();
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    @Test
    void initTransactionsSendsIdAndTimeoutAndRetriesConcurrentTransactions() {
        AtomicInteger calls = new AtomicInteger();
        broker.onInitProducerId = r -> calls.getAndIncrement() < 2
                ? done(new InitProducerIdResponse(
                        new ApiError(Errors.CONCURRENT_TRANSACTIONS, "completing"), -1, (short) -1))
                : broker.grantProducerId(r);
        var p = transactional();
        TransactionalRequestResult init = p.transactionManager().initializeTransactions();
        p.sender().runOnce();
        time.sleep(100);
        p.sender().runOnce();
        assertFalse(init.isCompleted());
        time.sleep(100);
        p.sender().runOnce();
        assertTrue(init.isCompleted());
        InitProducerIdRequest request =
                broker.requestsOf(InitProducerIdRequest.class).get(0);
        assertEquals("tx", request.transactionalId());
        assertEquals(5000, request.transactionTimeoutMs());
        assertEquals(-1L, request.producerId());
        assertEquals(TransactionManagerState.READY, p.transactionManager().state());
    }

    @Test
    void newPartitionsAreAddedInOneRequestBeforeAnyOfTheirBatches() {
        var p = inTransaction();
        send(p, 0);
        send(p, 1);
        p.sender().runOnce();
        List<Object> calls = broker.requests.stream()
                .filter(r -> r instanceof AddPartitionsToTxnRequest || r instanceof ProduceRequest)
                .toList();
        AddPartitionsToTxnRequest add = assertInstanceOf(AddPartitionsToTxnRequest.class, calls.get(0));
        assertEquals(Set.of(TP0, TP1), add.partitions());
        assertEquals("tx", add.transactionalId());
        ProduceRequest produce = assertInstanceOf(ProduceRequest.class, calls.get(1));
        assertEquals("tx", produce.transactionalId());
        RecordBatch batch = RecordBatch.wrap(produce.batches().get(TP0));
        assertTrue(batch.isTransactional());
        assertEquals(0, batch.baseSequence());
        send(p, 0);
        p.sender().runOnce();
        assertEquals(
                1,
                broker.requestsOf(AddPartitionsToTxnRequest.class).size(),
                "a partition is added once per transaction");
    }

    @Test
    void aPartitionOfTheLastTransactionIsAddedAgainBeforeTheNextOnesFirstBatch() throws Exception {
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        answerProduce(p, 0, Errors.NONE);
        p.sender().runOnce();
        commit.await(0);
        p.beginTransaction();
        send(p, 0); // the send path's lock-free check must not take TP0 for registered: that was the last transaction
        p.sender().runOnce();
        List<Object> calls = broker.requests.stream()
                .filter(r -> r instanceof AddPartitionsToTxnRequest || r instanceof ProduceRequest)
                .toList();
        assertEquals(4, calls.size(), calls.toString());
        assertEquals(
                Set.of(TP0),
                assertInstanceOf(AddPartitionsToTxnRequest.class, calls.get(2)).partitions());
        assertInstanceOf(ProduceRequest.class, calls.get(3));
    }

    @Test
    void aHeldAddPartitionsKeepsTheNextTransactionsBatchesBackUntilItIsAnswered() throws Exception {
        // A Weir coordinator holds the next transaction's AddPartitionsToTxn until the last one has completed.
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        answerProduce(p, 0, Errors.NONE);
        p.sender().runOnce();
        commit.await(0);
        CompletableFuture<AddPartitionsToTxnResponse> held = new CompletableFuture<>();
        broker.onAddPartitionsToTxn = r -> held;
        p.beginTransaction();
        send(p, 0);
        for (int i = 0; i < 3; i++) {
            p.sender().runOnce();
        }
        assertEquals(1, produced().size(), "no batch of the next transaction before its partition is in it");
        held.complete(new AddPartitionsToTxnResponse(Map.of(TP0, ApiError.NONE)));
        p.sender().runOnce();
        assertEquals(2, produced().size());
    }

    @Test
    void aSendAfterTheTransactionEndedIsRefusedThoughItsPartitionWasInIt() throws Exception {
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        assertThrows(IllegalClientStateException.class, () -> send(p, 0), "committing");
        answerProduce(p, 0, Errors.NONE);
        p.sender().runOnce();
        commit.await(0);
        assertThrows(IllegalClientStateException.class, () -> send(p, 0), "no transaction open");
        assertEquals(1, produced().size());
    }

    @Test
    void commitSendsEndTxnOnlyOnceEveryBatchIsAcknowledged() throws Exception {
        var p = inTransaction();
        Future<RecordMetadata> f = send(p, 0);
        p.sender().runOnce();
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        p.sender().runOnce();
        assertTrue(broker.requestsOf(EndTxnRequest.class).isEmpty());
        answerProduce(p, 0, Errors.NONE);
        p.sender().runOnce();
        assertTrue(f.isDone());
        EndTxnRequest end = broker.requestsOf(EndTxnRequest.class).get(0);
        assertTrue(end.committed());
        assertTrue(commit.isCompleted());
        commit.await(0);
        assertEquals(TransactionManagerState.READY, p.transactionManager().state());
    }

    @Test
    void concurrentTransactionsIsRetriedAfterAShortWaitThatDoubles() {
        // The previous transaction's markers take well under a millisecond on an embedded broker: waiting the
        // whole retry.backoff.ms (100 ms) would make every back-to-back transaction take 100 ms.
        AtomicInteger calls = new AtomicInteger();
        broker.onInitProducerId = r -> calls.getAndIncrement() < 3
                ? done(new InitProducerIdResponse(
                        new ApiError(Errors.CONCURRENT_TRANSACTIONS, "completing"), -1, (short) -1))
                : broker.grantProducerId(r);
        var p = transactional();
        TransactionalRequestResult init = p.transactionManager().initializeTransactions();
        p.sender().runOnce();
        assertEquals(1, calls.get());
        long min = TransactionManager.CONCURRENT_RETRY_MIN_NANOS;
        for (long wait : new long[] {min, 2 * min, 4 * min}) {
            time.sleepNanos(wait - 1);
            p.sender().runOnce();
            int before = calls.get();
            time.sleepNanos(1);
            p.sender().runOnce();
            assertEquals(before + 1, calls.get(), "resent after " + wait + " ns, not before");
        }
        assertTrue(init.isCompleted());
    }

    @Test
    void commitRetriesConcurrentTransactions() {
        AtomicInteger calls = new AtomicInteger();
        broker.onEndTxn = r -> done(new EndTxnResponse(
                calls.getAndIncrement() == 0 ? new ApiError(Errors.CONCURRENT_TRANSACTIONS, "busy") : ApiError.NONE));
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        answerProduce(p, 0, Errors.NONE);
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        p.sender().runOnce();
        assertFalse(commit.isCompleted());
        time.sleep(100);
        p.sender().runOnce();
        commit.await(0);
        assertEquals(2, calls.get());
    }

    @Test
    void aTransactionThatSentNothingCommitsWithoutTheCoordinator() {
        var p = inTransaction();
        p.transactionManager().beginCommit().await(0);
        assertTrue(broker.requestsOf(EndTxnRequest.class).isEmpty());
    }

    @Test
    void anAbortBeforeAnyPartitionWasAddedEndsLocallyWithoutEndTxn() {
        // The coordinator never saw the transaction: EndTxn would be refused with INVALID_TXN_STATE.
        var p = inTransaction();
        Future<RecordMetadata> unsent = send(p, 0);
        TransactionalRequestResult abort = p.transactionManager().beginAbort();
        p.sender().runOnce();
        abort.await(0);
        assertTrue(unsent.isDone());
        assertTrue(broker.requestsOf(EndTxnRequest.class).isEmpty());
        p.beginTransaction();
    }

    @Test
    void abortFailsUnsentBatchesWaitsForThoseInFlightThenEndsTheTransaction() throws Exception {
        var p = inTransaction();
        Future<RecordMetadata> inFlight = send(p, 0);
        p.sender().runOnce();
        Future<RecordMetadata> unsent = send(p, 0);
        TransactionalRequestResult abort = p.transactionManager().beginAbort();
        p.sender().runOnce();
        ExecutionException e = assertThrows(ExecutionException.class, unsent::get);
        assertInstanceOf(TransactionAbortedException.class, e.getCause());
        assertTrue(broker.requestsOf(EndTxnRequest.class).isEmpty(), "waits for the batch in flight");
        answerProduce(p, 0, Errors.NONE);
        p.sender().runOnce();
        assertTrue(inFlight.isDone());
        assertFalse(broker.requestsOf(EndTxnRequest.class).get(0).committed());
        abort.await(0);
        p.beginTransaction();
    }

    @Test
    void aFailedSendMakesCommitFailNamingTheCauseAndAbortBumpsTheEpoch() {
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        answerProduce(p, 0, Errors.CORRUPT_MESSAGE);
        assertEquals(
                TransactionManagerState.ABORTABLE_ERROR, p.transactionManager().state());
        var e = assertThrows(IllegalClientStateException.class, p::commitTransaction);
        assertTrue(
                e.getMessage().contains("CORRUPT_MESSAGE") && e.getMessage().contains("abortTransaction()"),
                e.getMessage());
        assertThrows(IllegalClientStateException.class, () -> send(p, 0));
        TransactionalRequestResult abort = p.transactionManager().beginAbort();
        p.sender().runOnce();
        p.sender().runOnce();
        abort.await(0);
        List<InitProducerIdRequest> inits = broker.requestsOf(InitProducerIdRequest.class);
        assertEquals(2, inits.size());
        assertEquals(1000L, inits.get(1).producerId());
        assertEquals(0, inits.get(1).producerEpoch());
        assertFalse(broker.requestsOf(EndTxnRequest.class).get(0).committed());
        p.beginTransaction();
        send(p, 0);
        p.sender().runOnce();
        RecordBatch next = RecordBatch.wrap(produced().get(1).batches().get(TP0));
        assertEquals(1, next.producerEpoch());
        assertEquals(0, next.baseSequence(), "a new epoch starts at sequence 0");
    }

    @Test
    void endTxnWithAStaleEpochAfterACoordinatorTimeoutIsAbortableAndAbortCatchesUp() {
        broker.onEndTxn = r -> done(new EndTxnResponse(
                r.producerEpoch() == 0
                        ? new ApiError(Errors.INVALID_PRODUCER_EPOCH, "the transaction timed out and was aborted")
                        : ApiError.NONE));
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        answerProduce(p, 0, Errors.NONE);
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        p.sender().runOnce();
        var e = assertThrows(IllegalClientStateException.class, () -> commit.await(0));
        assertTrue(
                e.getMessage().contains("timed out") && e.getMessage().contains("abortTransaction()"), e.getMessage());
        TransactionalRequestResult abort = p.transactionManager().beginAbort();
        p.sender().runOnce();
        p.sender().runOnce();
        abort.await(0);
        assertEquals(1, p.transactionManager().producerIdAndEpoch().epoch());
        assertEquals(TransactionManagerState.READY, p.transactionManager().state());
    }

    @Test
    void fencingIsFatalAndEveryLaterCallSaysToClose() {
        broker.onEndTxn =
                r -> done(new EndTxnResponse(new ApiError(Errors.PRODUCER_FENCED, "epoch 0 is older than 1")));
        var p = inTransaction();
        send(p, 0);
        p.sender().runOnce();
        answerProduce(p, 0, Errors.NONE);
        TransactionalRequestResult commit = p.transactionManager().beginCommit();
        p.sender().runOnce();
        var e = assertThrows(ProducerFencedException.class, () -> commit.await(0));
        assertTrue(e.getMessage().contains("tx") && e.getMessage().contains("Close this producer"), e.getMessage());
        for (Runnable call : List.<Runnable>of(
                p::beginTransaction,
                p::commitTransaction,
                p::abortTransaction,
                () -> send(p, 0),
                () -> p.sendOffsetsToTransaction(Map.of(), new ConsumerGroupMetadata("g")))) {
            var later = assertThrows(ProducerFencedException.class, call::run);
            assertTrue(later.getMessage().contains("Close this producer"), later.getMessage());
        }
    }

    @Test
    void sendOffsetsAddsTheGroupThenCommitsWithItsGeneration() {
        var p = inTransaction();
        ConsumerGroupMetadata group = new ConsumerGroupMetadata("g", 7, "member-1", Optional.of("instance-1"));
        TransactionalRequestResult sent =
                p.transactionManager().sendOffsets(Map.of(TP0, new OffsetAndMetadata(42)), group);
        p.sender().runOnce();
        p.sender().runOnce();
        sent.await(0);
        assertEquals("g", broker.requestsOf(AddOffsetsToTxnRequest.class).get(0).groupId());
        TxnOffsetCommitRequest commit =
                broker.requestsOf(TxnOffsetCommitRequest.class).get(0);
        assertEquals(7, commit.generationId());
        assertEquals("member-1", commit.memberId());
        assertEquals("instance-1", commit.groupInstanceId());
        assertEquals(42, commit.offsets().get(TP0).offset());
        TransactionalRequestResult end = p.transactionManager().beginCommit();
        p.sender().runOnce();
        end.await(0);
        assertTrue(
                broker.requestsOf(EndTxnRequest.class).get(0).committed(),
                "offsets alone make a transaction to commit");
    }

    @Test
    void offsetsOfAStaleGenerationFailWithCommitFailedAndTheTransactionMustAbort() {
        broker.onTxnOffsetCommit = r -> done(new TxnOffsetCommitResponse(
                Map.of(TP0, new ApiError(Errors.ILLEGAL_GENERATION, "generation 7 is not the group's generation 8"))));
        var p = inTransaction();
        TransactionalRequestResult sent = p.transactionManager()
                .sendOffsets(
                        Map.of(TP0, new OffsetAndMetadata(42)),
                        new ConsumerGroupMetadata("g", 7, "m", Optional.empty()));
        p.sender().runOnce();
        p.sender().runOnce();
        var e = assertThrows(CommitFailedException.class, () -> sent.await(0));
        assertTrue(e.getMessage().contains("generation 8") && e.getMessage().contains("abort"), e.getMessage());
        assertEquals(
                TransactionManagerState.ABORTABLE_ERROR, p.transactionManager().state());
    }

    @Test
    void transactionalCallsWithoutATransactionalIdSayWhichSettingIsMissing() {
        var p = producer(ProducerConfig.builder());
        for (Runnable call : List.<Runnable>of(
                p::initTransactions,
                p::beginTransaction,
                p::commitTransaction,
                p::abortTransaction,
                () -> p.sendOffsetsToTransaction(Map.of(), new ConsumerGroupMetadata("g")))) {
            var e = assertThrows(IllegalClientStateException.class, call::run);
            assertTrue(e.getMessage().contains("transactional.id"), e.getMessage());
        }
    }

    @Test
    void callsBeforeInitTransactionsSayToCallItFirst() {
        var p = transactional();
        var e = assertThrows(IllegalClientStateException.class, p::beginTransaction);
        assertTrue(e.getMessage().contains("initTransactions()"), e.getMessage());
        e = assertThrows(IllegalClientStateException.class, p::commitTransaction);
        assertTrue(e.getMessage().contains("initTransactions()"), e.getMessage());
        e = assertThrows(IllegalClientStateException.class, () -> send(p, 0));
        assertTrue(e.getMessage().contains("initTransactions()"), e.getMessage());
    }

    @Test
    void beginTransactionTwiceIsRefused() {
        var p = inTransaction();
        var e = assertThrows(IllegalClientStateException.class, p::beginTransaction);
        assertTrue(
                e.getMessage().contains("already open") && e.getMessage().contains("commit or abort"), e.getMessage());
    }

    @Test
    void sendOutsideATransactionIsRefused() {
        var p = inTransaction();
        p.transactionManager().beginCommit().await(0);
        var e = assertThrows(IllegalClientStateException.class, () -> send(p, 1));
        assertTrue(
                e.getMessage().contains("beginTransaction()") && e.getMessage().contains("t-1"), e.getMessage());
    }

    @Test
    void commitOrAbortWithNoOpenTransactionIsRefused() {
        var p = inTransaction();
        p.transactionManager().beginAbort().await(0);
        var e = assertThrows(IllegalClientStateException.class, p::commitTransaction);
        assertTrue(
                e.getMessage().contains("no transaction is open")
                        && e.getMessage().contains("beginTransaction()"),
                e.getMessage());
        assertThrows(IllegalClientStateException.class, p::abortTransaction);
    }

    @Test
    void aTimeoutAboveTheBrokersMaximumFailsInitTransactionsSayingWhatToChange() {
        broker.onInitProducerId = r -> done(new InitProducerIdResponse(
                new ApiError(Errors.INVALID_TRANSACTION_TIMEOUT, "5000 ms is above transaction.max.timeout.ms=1000"),
                -1,
                (short) -1));
        var p = transactional();
        TransactionalRequestResult init = p.transactionManager().initializeTransactions();
        p.sender().runOnce();
        var e = assertThrows(InvalidTxnTimeoutException.class, () -> init.await(0));
        assertTrue(
                e.getMessage().contains("transaction.timeout.ms=5000")
                        && e.getMessage().contains("transaction.max.timeout.ms"),
                e.getMessage());
    }

    @Test
    void aTimedOutCallMustBeRetriedBeforeAnotherOne() {
        broker.onInitProducerId = r -> new CompletableFuture<>(); // the coordinator never answers
        var p = transactional();
        var timeout = assertThrows(
                io.weir.common.errors.TimeoutException.class,
                () -> p.transactionManager().initializeTransactions().await(0));
        assertTrue(timeout.getMessage().contains("call initTransactions() again"), timeout.getMessage());
        var e = assertThrows(IllegalClientStateException.class, p::beginTransaction);
        assertTrue(e.getMessage().contains("initTransactions()"), e.getMessage());
        assertEquals(
                p.transactionManager().initializeTransactions(),
                p.transactionManager().initializeTransactions(),
                "the retry waits for the same call");
    }

    @Test
    void closeWithAnOpenTransactionJustStops() {
        var p = inTransaction();
        send(p, 0);
        p.close(java.time.Duration.ZERO);
        assertTrue(
                broker.requestsOf(EndTxnRequest.class).isEmpty(),
                "the coordinator aborts it on timeout or on the next instance");
    }
}
