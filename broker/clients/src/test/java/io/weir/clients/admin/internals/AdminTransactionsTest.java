package io.weir.clients.admin.internals;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.TransactionTestSupport.add;
import static io.weir.broker.TransactionTestSupport.batches;
import static io.weir.broker.TransactionTestSupport.init;
import static io.weir.broker.TransactionTestSupport.initRaw;
import static io.weir.broker.TransactionTestSupport.txnBatch;
import static io.weir.broker.TransactionTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.AbortedTransaction;
import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.broker.TransactionTestSupport.Producer;
import io.weir.clients.admin.AbortTransactionSpec;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.FindHangingTransactionsOptions;
import io.weir.clients.admin.HangingTransaction;
import io.weir.clients.admin.ListTransactionsOptions;
import io.weir.clients.admin.PartitionProducerState;
import io.weir.clients.admin.ProducerState;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionListing;
import io.weir.clients.admin.TransactionState;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.TransactionalIdNotFoundException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.transactions.coordinator.HangingTransactionRule;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transaction calls of {@link Admin} against a real embedded broker. */
class AdminTransactionsTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    private EmbeddedBroker broker;
    private BrokerApi api;
    private Admin admin;

    private void open(Map<String, Object> extra) throws Exception {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, 1);
        props.put(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, 1);
        broker = EmbeddedBroker.open(BrokerConfig.from(props));
        api = broker.api();
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        createTopic(api, "t", 2, Map.of());
    }

    private void open() throws Exception {
        open(Map.of());
    }

    @AfterEach
    void close() {
        if (admin != null) {
            admin.close();
            broker.close();
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /** A producer id the coordinator never mapped to a transactional id (an idempotent producer's). */
    private Producer strayProducer() throws Exception {
        InitProducerIdResponse r = initRaw(api, null, 0, -1L, (short) -1);
        return new Producer("none", r.producerId(), r.producerEpoch());
    }

    private ProducerState producerOn(TopicPartition tp, long producerId) throws Exception {
        PartitionProducerState state =
                await(admin.describeProducers(List.of(tp)).values().get(tp));
        return state.activeProducers().stream()
                .filter(p -> p.producerId() == producerId)
                .findFirst()
                .orElseThrow(() -> new AssertionError(tp + " holds no state for producer " + producerId));
    }

    // ---- list and describe --------------------------------------------------------------------------------

    @Test
    void listReportsEachIdWithItsProducerAndState() throws Exception {
        open();
        Producer a = init(api, "a", 10_000);
        Producer b = init(api, "b", 10_000);
        add(api, b, T0);
        Collection<TransactionListing> all = await(admin.listTransactions());
        assertEquals(
                Set.of(
                        new TransactionListing("a", a.producerId(), TransactionState.EMPTY),
                        new TransactionListing("b", b.producerId(), TransactionState.ONGOING)),
                Set.copyOf(all));
        assertEquals(
                List.of(new TransactionListing("b", b.producerId(), TransactionState.ONGOING)),
                List.copyOf(await(admin.listTransactions(
                        ListTransactionsOptions.all().filterStates(Set.of(TransactionState.ONGOING))))));
        assertEquals(
                List.of("a"),
                ids(await(admin.listTransactions(
                        ListTransactionsOptions.all().filterProducerIds(Set.of(a.producerId()))))));
        assertEquals(
                List.of(),
                ids(await(admin.listTransactions(ListTransactionsOptions.all().filterOnDuration(3_600_000)))));
    }

    private static List<String> ids(Collection<TransactionListing> listings) {
        return listings.stream()
                .map(TransactionListing::transactionalId)
                .sorted()
                .toList();
    }

    @Test
    void describeReportsTheOpenTransactionAndFailsAnUnknownIdAlone() throws Exception {
        open();
        Producer p = init(api, "app", 10_000);
        add(api, p, T0, T1);
        var result = admin.describeTransactions(List.of("app", "ghost"));
        TransactionDescription d = await(result.values().get("app"));
        assertEquals(TransactionState.ONGOING, d.state());
        assertEquals(p.producerId(), d.producerId());
        assertEquals(p.producerEpoch(), d.producerEpoch());
        assertEquals(10_000, d.transactionTimeoutMs());
        assertTrue(d.transactionStartTimeMs().isPresent());
        assertEquals(Set.of(T0, T1), d.topicPartitions());
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> await(result.values().get("ghost")));
        assertInstanceOf(TransactionalIdNotFoundException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("ghost"), e.getCause().getMessage());
    }

    @Test
    void describeProducersShowsWhereTheOpenTransactionStarts() throws Exception {
        open();
        produce(api, T0, io.weir.broker.BrokerTestSupport.batch(1000, "plain"));
        Producer p = init(api, "app", 10_000);
        add(api, p, T0);
        produce(api, T0, txnBatch(p, 0, "x", "y"));
        ProducerState s = producerOn(T0, p.producerId());
        assertEquals(p.producerEpoch(), s.producerEpoch());
        assertEquals(1, s.lastSequence());
        assertEquals(OptionalLong.of(1L), s.currentTransactionStartOffset());
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> await(admin.describeProducers(List.of(new TopicPartition("t", 7)))
                        .all()));
        assertInstanceOf(UnknownTopicOrPartitionException.class, e.getCause());
    }

    // ---- abort and find-hanging ---------------------------------------------------------------------------

    @Test
    void abortTransactionEndsAnOpenTransactionWithAnAbortMarker() throws Exception {
        open();
        Producer stray = strayProducer();
        produce(api, T0, txnBatch(stray, 0, "hanging"));
        await(admin.abortTransaction(new AbortTransactionSpec(T0, stray.producerId(), stray.producerEpoch(), 0)));
        List<RecordBatch> data = batches(api, T0);
        assertEquals(ControlRecordType.ABORT, data.get(data.size() - 1).controlType());
        assertTrue(producerOn(T0, stray.producerId())
                .currentTransactionStartOffset()
                .isEmpty());
    }

    @Test
    void findHangingReportsOnlyOldOpenTransactionsTheCoordinatorDoesNotCover() throws Exception {
        open();
        Producer stray = strayProducer();
        produce(api, T0, txnBatch(stray, 0, "unknown producer"));
        Producer known = init(api, "known", 10_000);
        add(api, known, T0);
        produce(api, T0, txnBatch(known, 0, "covered"));
        produce(api, T1, txnBatch(known, 0, "never added")); // written without AddPartitions
        Producer recent = strayProducer();
        produce(api, T1, txnBatch(recent, 0, System.currentTimeMillis(), "too recent to judge"));

        Map<TopicPartition, HangingTransaction> found = byPartitionAndProducer(
                await(admin.findHangingTransactions(FindHangingTransactionsOptions.allPartitions())));
        assertEquals(2, found.size(), "found " + found);
        HangingTransaction unknown = found.get(T0);
        assertEquals(stray.producerId(), unknown.producer().producerId());
        assertEquals(HangingTransaction.Reason.PRODUCER_UNKNOWN_TO_COORDINATOR, unknown.reason());
        HangingTransaction notAdded = found.get(T1);
        assertEquals(known.producerId(), notAdded.producer().producerId());
        assertEquals(HangingTransaction.Reason.PARTITION_NOT_IN_TRANSACTION, notAdded.reason());
        assertEquals(java.util.Optional.of("known"), notAdded.transactionalId());

        Collection<HangingTransaction> withStale =
                await(admin.findHangingTransactions(FindHangingTransactionsOptions.allPartitions()
                        .partitions(List.of(T0))
                        .staleAfterMs(0)));
        assertEquals(
                Set.of(HangingTransaction.Reason.PRODUCER_UNKNOWN_TO_COORDINATOR, HangingTransaction.Reason.STALE),
                withStale.stream().map(HangingTransaction::reason).collect(Collectors.toSet()));
    }

    private static Map<TopicPartition, HangingTransaction> byPartitionAndProducer(
            Collection<HangingTransaction> found) {
        return found.stream().collect(Collectors.toMap(HangingTransaction::topicPartition, h -> h));
    }

    @Test
    void brokerAbortsHangingTransactionsItselfWhenAsked() throws Exception {
        open();
        Producer stray = strayProducer();
        produce(api, T0, txnBatch(stray, 0, "hanging"));
        List<AbortedTransaction> aborted = broker.abortHangingTransactions();
        assertEquals(
                List.of(stray.producerId()),
                aborted.stream().map(AbortedTransaction::producerId).toList());
        assertEquals(
                HangingTransactionRule.Reason.PRODUCER_UNKNOWN_TO_COORDINATOR,
                aborted.get(0).reason());
        assertTrue(producerOn(T0, stray.producerId())
                .currentTransactionStartOffset()
                .isEmpty());
        assertEquals(List.of(), broker.abortHangingTransactions(), "nothing left to abort");
    }

    @Test
    void brokerWithTheHangingSettingAbortsThemOnItsOwn() throws Exception {
        open(Map.of(
                BrokerConfig.TRANSACTION_HANGING_ABORT_MS,
                0L,
                BrokerConfig.TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS,
                50L));
        Producer stray = strayProducer();
        produce(api, T0, txnBatch(stray, 0, "hanging"));
        waitUntil(
                () -> {
                    try {
                        return producerOn(T0, stray.producerId())
                                .currentTransactionStartOffset()
                                .isEmpty();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "the broker to abort the hanging transaction of producer " + stray.producerId());
    }

    // ---- bad input ----------------------------------------------------------------------------------------

    @Test
    void nullArgumentsAndBadOptionsAreRefusedAtOnce() throws Exception {
        open();
        assertThrows(IllegalArgumentException.class, () -> admin.describeTransactions(null));
        assertThrows(
                IllegalArgumentException.class, () -> admin.describeTransactions(java.util.Arrays.asList("a", null)));
        assertThrows(IllegalArgumentException.class, () -> admin.describeProducers(null));
        assertThrows(IllegalArgumentException.class, () -> admin.abortTransaction(null));
        assertThrows(IllegalArgumentException.class, () -> admin.listTransactions(null));
        assertThrows(IllegalArgumentException.class, () -> ListTransactionsOptions.all()
                .filterOnDuration(-1));
        assertThrows(IllegalArgumentException.class, () -> ListTransactionsOptions.all()
                .filterStates(Set.of(TransactionState.UNKNOWN)));
        assertThrows(IllegalArgumentException.class, () -> FindHangingTransactionsOptions.allPartitions()
                .maxTransactionTimeoutMs(0));
        assertThrows(IllegalArgumentException.class, () -> new AbortTransactionSpec(T0, -1L, (short) 0, 0));
    }

    @Test
    void callsAfterCloseFailClearly() throws Exception {
        open();
        admin.close();
        IllegalClientStateException e = assertThrows(IllegalClientStateException.class, () -> admin.listTransactions());
        assertTrue(e.getMessage().contains("listTransactions"), e.getMessage());
    }
}
