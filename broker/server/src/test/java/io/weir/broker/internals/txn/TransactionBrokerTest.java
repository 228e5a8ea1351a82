package io.weir.broker.internals.txn;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.TransactionTestSupport.add;
import static io.weir.broker.TransactionTestSupport.addOffsets;
import static io.weir.broker.TransactionTestSupport.addRaw;
import static io.weir.broker.TransactionTestSupport.awaitState;
import static io.weir.broker.TransactionTestSupport.batches;
import static io.weir.broker.TransactionTestSupport.committed;
import static io.weir.broker.TransactionTestSupport.describe;
import static io.weir.broker.TransactionTestSupport.end;
import static io.weir.broker.TransactionTestSupport.init;
import static io.weir.broker.TransactionTestSupport.initRaw;
import static io.weir.broker.TransactionTestSupport.txnBatch;
import static io.weir.broker.TransactionTestSupport.txnOffsetCommit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.broker.TransactionTestSupport.Producer;
import io.weir.broker.internals.group.OffsetsTopicStore;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.ListTransactionsRequest;
import io.weir.common.protocol.ListTransactionsResponse;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import io.weir.common.protocol.WriteTxnMarkersResponse;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction calls of a real broker, down to the markers in the partitions' logs. */
class TransactionBrokerTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final String GROUP = "copiers";

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private BrokerApi api;

    static BrokerConfig config(Path dir, Map<String, Object> extra) {
        Map<String, Object> props = new java.util.HashMap<>(extra);
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, 1);
        props.put(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, 1);
        props.putIfAbsent(BrokerConfig.TRANSACTION_MAX_TIMEOUT_MS, 60_000);
        return BrokerConfig.from(props);
    }

    @BeforeEach
    void open() throws Exception {
        broker = EmbeddedBroker.open(config(dir, Map.of()));
        api = broker.api();
        createTopic(api, "t", 2, Map.of());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    private static RecordBatch last(List<RecordBatch> batches) {
        return batches.get(batches.size() - 1);
    }

    private static void assertMarker(RecordBatch batch, ControlRecordType type, Producer p, int epochBump) {
        assertTrue(batch.isControl() && batch.isTransactional(), "a control batch: " + batch);
        assertEquals(type, batch.controlType());
        assertEquals(p.producerId(), batch.producerId());
        assertEquals(p.producerEpoch() + epochBump, batch.producerEpoch());
        assertEquals(TxnMarkerWriter.COORDINATOR_EPOCH, batch.coordinatorEpoch());
    }

    @Test
    void secondInstanceGetsTheSameProducerIdAtTheNextEpoch() throws Exception {
        Producer first = init(api, "app", 10_000);
        Producer second = init(api, "app", 10_000);
        assertEquals(first.producerId(), second.producerId());
        assertEquals(first.producerEpoch() + 1, second.producerEpoch());
        assertEquals(Errors.PRODUCER_FENCED, add(api, first, T0).error());
    }

    @Test
    void commitWritesACommitMarkerAfterTheRecordsOfEveryPartition() throws Exception {
        Producer p = init(api, "app", 10_000);
        assertEquals(Errors.NONE, add(api, p, T0, T1).error());
        produce(api, T0, txnBatch(p, 0, "a", "b"));
        produce(api, T1, txnBatch(p, 0, "c"));
        assertEquals(Errors.NONE, end(api, p, true).error());
        awaitState(api, "app", "CompleteCommit");
        for (TopicPartition tp : List.of(T0, T1)) {
            List<RecordBatch> batches = batches(api, tp);
            assertEquals(2, batches.size(), tp + ": the records, then the marker");
            assertMarker(last(batches), ControlRecordType.COMMIT, p, 0);
        }
    }

    @Test
    void abortWritesAnAbortMarker() throws Exception {
        Producer p = init(api, "app", 10_000);
        add(api, p, T0);
        produce(api, T0, txnBatch(p, 0, "a"));
        assertEquals(Errors.NONE, end(api, p, false).error());
        awaitState(api, "app", "CompleteAbort");
        assertMarker(last(batches(api, T0)), ControlRecordType.ABORT, p, 0);
    }

    @Test
    void newInstanceAbortsTheOpenTransactionAtABumpedEpochAndFencesTheOldOne() throws Exception {
        Producer old = init(api, "app", 10_000);
        add(api, old, T0);
        produce(api, T0, txnBatch(old, 0, "zombie"));
        InitProducerIdResponse first = initRaw(api, "app", 10_000, -1L, (short) -1);
        assertEquals(
                Errors.CONCURRENT_TRANSACTIONS,
                first.error().error(),
                first.error().message());
        Producer fresh = init(api, "app", 10_000);
        assertEquals(old.producerEpoch() + 2, fresh.producerEpoch());
        assertMarker(last(batches(api, T0)), ControlRecordType.ABORT, old, 1);
        ApiError fenced = end(api, old, true);
        assertEquals(Errors.PRODUCER_FENCED, fenced.error());
        assertTrue(fenced.message().contains("app"), fenced.message());
    }

    @Test
    void addingAnUnknownPartitionAddsNone() throws Exception {
        Producer p = init(api, "app", 10_000);
        TopicPartition missing = new TopicPartition("t", 9);
        Map<TopicPartition, ApiError> results = addRaw(api, p, T0, missing);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, results.get(missing).error());
        assertTrue(
                results.get(missing).message().contains("t-9"),
                results.get(missing).message());
        assertEquals(Errors.OPERATION_NOT_ATTEMPTED, results.get(T0).error());
        assertEquals("Empty", describe(api, "app").state());
    }

    @Test
    void callsForAnUnknownTransactionalIdAreAnInvalidMapping() throws Exception {
        Producer ghost = new Producer("ghost", 42L, (short) 0);
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, add(api, ghost, T0).error());
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, end(api, ghost, true).error());
        DescribeTransactionsResponse.DescribedTransaction d = describe(api, "ghost");
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND, d.error().error());
        assertTrue(d.error().message().contains("ghost"), d.error().message());
    }

    @Test
    void wrongProducerIdIsAnInvalidMapping() throws Exception {
        Producer p = init(api, "app", 10_000);
        assertEquals(
                Errors.INVALID_PRODUCER_ID_MAPPING,
                add(api, new Producer("app", p.producerId() + 1, p.producerEpoch()), T0)
                        .error());
    }

    @Test
    void timeoutAboveTheBrokersMaximumIsRefused() throws Exception {
        InitProducerIdResponse r = initRaw(api, "app", 60_001, -1L, (short) -1);
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT, r.error().error());
        assertTrue(
                r.error().message().contains("60001") && r.error().message().contains("transaction.max.timeout.ms"),
                r.error().message());
    }

    @Test
    void endTxnWithNothingOpenIsAnInvalidTxnState() throws Exception {
        Producer p = init(api, "app", 10_000);
        assertEquals(Errors.INVALID_TXN_STATE, end(api, p, true).error());
    }

    @Test
    void idempotentProducersStillGetFreshIds() throws Exception {
        InitProducerIdResponse a = initRaw(api, null, 0, -1L, (short) -1);
        InitProducerIdResponse b = initRaw(api, null, 0, -1L, (short) -1);
        assertEquals(Errors.NONE, a.error().error());
        assertTrue(a.producerId() != b.producerId());
    }

    // ---- offsets in a transaction ------------------------------------------------------------------------

    @Test
    void transactionalOffsetsAreVisibleOnlyOnceTheTransactionCommits() throws Exception {
        Producer p = init(api, "copier", 10_000);
        add(api, p, T0);
        assertEquals(Errors.NONE, addOffsets(api, p, GROUP).error());
        assertEquals(
                Errors.NONE,
                txnOffsetCommit(api, p, GROUP, Map.of(T1, 17L)).get(T1).error());
        assertEquals(-1L, committed(api, GROUP, T1), "pending while the transaction is open");
        assertEquals(Errors.NONE, end(api, p, true).error());
        awaitState(api, "copier", "CompleteCommit");
        assertEquals(17L, committed(api, GROUP, T1));
    }

    @Test
    void transactionalOffsetsAreDiscardedWhenTheTransactionAborts() throws Exception {
        Producer p = init(api, "copier", 10_000);
        addOffsets(api, p, GROUP);
        txnOffsetCommit(api, p, GROUP, Map.of(T1, 17L));
        end(api, p, false);
        awaitState(api, "copier", "CompleteAbort");
        assertEquals(-1L, committed(api, GROUP, T1));
    }

    @Test
    void offsetsWithoutAddOffsetsAreAnInvalidTxnState() throws Exception {
        Producer p = init(api, "copier", 10_000);
        add(api, p, T0);
        ApiError e = txnOffsetCommit(api, p, GROUP, Map.of(T1, 17L)).get(T1);
        assertEquals(Errors.INVALID_TXN_STATE, e.error());
        assertTrue(e.message().contains("AddOffsetsToTxn"), e.message());
    }

    @Test
    void offsetsFromAFencedInstanceAreRefused() throws Exception {
        Producer old = init(api, "copier", 10_000);
        init(api, "copier", 10_000);
        assertEquals(
                Errors.PRODUCER_FENCED,
                txnOffsetCommit(api, old, GROUP, Map.of(T1, 17L)).get(T1).error());
    }

    // ---- administration ----------------------------------------------------------------------------------

    @Test
    void listFiltersByStateProducerAndDuration() throws Exception {
        Producer a = init(api, "a", 10_000);
        Producer b = init(api, "b", 10_000);
        add(api, b, T0);
        ListTransactionsResponse all = api.listTransactions(new ListTransactionsRequest(Set.of(), Set.of(), -1))
                .get();
        assertEquals(
                List.of(
                        new ListTransactionsResponse.TransactionListing("a", a.producerId(), "Empty"),
                        new ListTransactionsResponse.TransactionListing("b", b.producerId(), "Ongoing")),
                all.transactions());
        assertEquals(
                List.of("b"),
                names(api.listTransactions(new ListTransactionsRequest(Set.of("Ongoing"), Set.of(), -1))
                        .get()));
        assertEquals(
                List.of("a"),
                names(api.listTransactions(new ListTransactionsRequest(Set.of(), Set.of(a.producerId()), -1))
                        .get()));
        assertEquals(
                List.of("b"),
                names(api.listTransactions(new ListTransactionsRequest(Set.of(), Set.of(), 0))
                        .get()));
        assertEquals(
                List.of(),
                names(api.listTransactions(new ListTransactionsRequest(Set.of(), Set.of(), 3_600_000))
                        .get()));
        ListTransactionsResponse bad = api.listTransactions(
                        new ListTransactionsRequest(Set.of("ongoing"), Set.of(), -1))
                .get();
        assertEquals(Errors.INVALID_REQUEST, bad.error().error());
        assertTrue(
                bad.error().message().contains("ongoing")
                        && bad.error().message().contains("Ongoing"),
                bad.error().message());
    }

    private static List<String> names(ListTransactionsResponse r) {
        return r.transactions().stream()
                .map(ListTransactionsResponse.TransactionListing::transactionalId)
                .toList();
    }

    @Test
    void describeShowsTheOpenTransaction() throws Exception {
        Producer p = init(api, "app", 10_000);
        add(api, p, T0, T1);
        DescribeTransactionsResponse.DescribedTransaction d = describe(api, "app");
        assertEquals(Errors.NONE, d.error().error());
        assertEquals("Ongoing", d.state());
        assertEquals(10_000, d.transactionTimeoutMs());
        assertEquals(p.producerId(), d.producerId());
        assertEquals(p.producerEpoch(), d.producerEpoch());
        assertEquals(Set.of(T0, T1), d.partitions());
        assertTrue(d.transactionStartTimeMs() > 0);
        end(api, p, true);
        awaitState(api, "app", "CompleteCommit");
        assertEquals(-1L, describe(api, "app").transactionStartTimeMs(), "none open");
    }

    @Test
    void writeTxnMarkersAbortsATransactionTheCoordinatorDoesNotKnow() throws Exception {
        Producer stray = new Producer("unknown", 9_999L, (short) 3);
        produce(api, T0, txnBatch(stray, 0, "hanging"));
        WriteTxnMarkersResponse r = api.writeTxnMarkers(
                        new WriteTxnMarkersRequest(List.of(new WriteTxnMarkersRequest.TxnMarker(
                                stray.producerId(),
                                stray.producerEpoch(),
                                false,
                                0,
                                List.of(T0, new TopicPartition("t", 9))))))
                .get();
        assertEquals(Errors.NONE, r.results().get(stray.producerId()).get(T0).error());
        assertEquals(
                Errors.UNKNOWN_TOPIC_OR_PARTITION,
                r.results()
                        .get(stray.producerId())
                        .get(new TopicPartition("t", 9))
                        .error());
        assertMarker(last(batches(api, T0)), ControlRecordType.ABORT, stray, 0);
    }

    @Test
    void writeTxnMarkersOnTheOffsetsTopicDecidesPendingOffsets() throws Exception {
        Producer p = init(api, "copier", 10_000);
        addOffsets(api, p, GROUP);
        txnOffsetCommit(api, p, GROUP, Map.of(T1, 17L));
        TopicPartition offsets = new TopicPartition(OffsetsTopicStore.TOPIC, 0);
        WriteTxnMarkersResponse r = api.writeTxnMarkers(
                        new WriteTxnMarkersRequest(List.of(new WriteTxnMarkersRequest.TxnMarker(
                                p.producerId(), p.producerEpoch(), true, 0, List.of(offsets)))))
                .get();
        assertEquals(Errors.NONE, r.results().get(p.producerId()).get(offsets).error());
        assertEquals(17L, committed(api, GROUP, T1), "the admin's COMMIT marker made them visible");
    }

    @Test
    void writeTxnMarkersWithoutAProducerIsAnInvalidRequest() throws Exception {
        WriteTxnMarkersResponse r = api.writeTxnMarkers(new WriteTxnMarkersRequest(
                        List.of(new WriteTxnMarkersRequest.TxnMarker(-1L, (short) 0, false, 0, List.of(T0)))))
                .get();
        assertEquals(Errors.INVALID_REQUEST, r.results().get(-1L).get(T0).error());
    }
}
