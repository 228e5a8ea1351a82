package io.weir.broker.internals.txn;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.TransactionTestSupport.add;
import static io.weir.broker.TransactionTestSupport.addOffsets;
import static io.weir.broker.TransactionTestSupport.awaitState;
import static io.weir.broker.TransactionTestSupport.batches;
import static io.weir.broker.TransactionTestSupport.committed;
import static io.weir.broker.TransactionTestSupport.describe;
import static io.weir.broker.TransactionTestSupport.end;
import static io.weir.broker.TransactionTestSupport.init;
import static io.weir.broker.TransactionTestSupport.initRaw;
import static io.weir.broker.TransactionTestSupport.txnBatch;
import static io.weir.broker.TransactionTestSupport.txnOffsetCommit;
import static io.weir.broker.TransactionTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.broker.LogConfig;
import io.weir.broker.TransactionTestSupport.Producer;
import io.weir.broker.internals.group.OffsetsTopicStore;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.Shutdown;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.record.CompressionType;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.record.RecordBatches;
import io.weir.common.utils.MockTime;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.coordinator.TransactionMetadata;
import io.weir.transactions.coordinator.TransactionState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator across restarts (real files, clean and crashed), and its timers on a manual clock. */
class TransactionRestartTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition STATE = new TopicPartition(TransactionStateTopic.TOPIC, 0);
    private static final TopicPartition OFFSETS = new TopicPartition(OffsetsTopicStore.TOPIC, 0);
    private static final String GROUP = "copiers";

    @TempDir
    Path dir;

    private BrokerConfig config(Map<String, Object> extra) {
        return TransactionBrokerTest.config(dir, extra);
    }

    /** A transaction with a record in t-0 and offsets of the group pending; returns the producer. */
    private static Producer openTransactionWithOffsets(EmbeddedBroker broker) throws Exception {
        createTopic(broker.api(), "t", 1, Map.of());
        Producer p = init(broker.api(), "copier", 10_000);
        add(broker.api(), p, T0);
        addOffsets(broker.api(), p, GROUP);
        produce(broker.api(), T0, txnBatch(p, 0, "copied"));
        assertEquals(
                Errors.NONE,
                txnOffsetCommit(broker.api(), p, GROUP, Map.of(T0, 5L)).get(T0).error());
        return p;
    }

    /**
     * Writes {@code record} to the end of the transaction log while no broker runs: what a broker leaves when
     * it stops right after making PrepareCommit durable, before any marker.
     */
    private void appendToStateLog(boolean cleanShutdown, byte[] key, byte[] value) {
        Log log = Log.open(
                dir.resolve(STATE.toString()),
                STATE,
                LogConfig.DEFAULTS,
                new ProducerStateConfig(86_400_000L),
                Time.SYSTEM,
                cleanShutdown ? Shutdown.CLEAN : Shutdown.crash(0L));
        try {
            RecordBatchBuilder b = new RecordBatchBuilder(
                    CompressionType.NONE,
                    RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH,
                    RecordBatch.NO_SEQUENCE,
                    false);
            b.append(System.currentTimeMillis(), key, value, new Header[0]);
            log.append(b.build(), AppendOrigin.COORDINATOR);
        } finally {
            log.close();
        }
    }

    private static TransactionMetadata prepareCommitOf(DescribeTransactionsResponse.DescribedTransaction d) {
        return new TransactionMetadata(
                "copier",
                d.producerId(),
                -1L,
                d.producerEpoch(),
                (short) -1,
                d.transactionTimeoutMs(),
                TransactionState.PREPARE_COMMIT,
                d.partitions(),
                d.transactionStartTimeMs(),
                System.currentTimeMillis());
    }

    private void assertCommitFinishedOnReopen(boolean crashed) throws Exception {
        Producer p;
        DescribeTransactionsResponse.DescribedTransaction ongoing;
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            p = openTransactionWithOffsets(broker);
            ongoing = describe(broker.api(), "copier");
            if (crashed) {
                broker.crashForTesting();
            }
        }
        appendToStateLog(
                !crashed, TransactionLogSerde.key("copier"), TransactionLogSerde.value(prepareCommitOf(ongoing)));
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(!crashed, broker.openedAfterCleanShutdown());
            awaitState(broker.api(), "copier", "CompleteCommit");
            List<RecordBatch> data = batches(broker.api(), T0);
            RecordBatch marker = data.get(data.size() - 1);
            assertEquals(ControlRecordType.COMMIT, marker.controlType());
            assertEquals(p.producerId(), marker.producerId());
            List<RecordBatch> offsets = batches(broker.api(), OFFSETS);
            assertEquals(
                    ControlRecordType.COMMIT, offsets.get(offsets.size() - 1).controlType());
            assertEquals(5L, committed(broker.api(), GROUP, T0), "the transaction's offsets are committed with it");
            assertEquals(Errors.NONE, end(broker.api(), p, true).error(), "a retried EndTxn of the commit succeeds");
        }
    }

    /**
     * Partition logs open on first use, but a transaction left prepared is finished by the open itself: the
     * coordinator's load writes its markers, which opens the partitions it names. Nothing but the coordinator is
     * asked here; the partition's files are read only after the broker closed.
     */
    @Test
    void brokerCrashedInPrepareCommitWritesTheMarkerWithoutAnyClientUsingThePartition() throws Exception {
        Producer p;
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            p = openTransactionWithOffsets(broker);
            DescribeTransactionsResponse.DescribedTransaction ongoing = describe(broker.api(), "copier");
            broker.crashForTesting();
            appendToStateLog(
                    false, TransactionLogSerde.key("copier"), TransactionLogSerde.value(prepareCommitOf(ongoing)));
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertFalse(broker.openedAfterCleanShutdown());
            awaitState(broker.api(), "copier", "CompleteCommit");
        }
        Log log = Log.open(
                dir.resolve(T0.toString()),
                T0,
                LogConfig.DEFAULTS,
                new ProducerStateConfig(86_400_000L),
                Time.SYSTEM,
                Shutdown.CLEAN);
        try {
            RecordBatch last = null;
            long next = 0;
            while (next < log.highWatermark()) {
                for (RecordBatch batch :
                        RecordBatches.iterable(log.read(next, 1 << 20, true).batches())) {
                    last = batch;
                    next = batch.nextOffset();
                }
            }
            assertTrue(last != null && last.isControl(), "the partition ends with a marker: " + log + " " + last);
            assertEquals(ControlRecordType.COMMIT, last.controlType());
            assertEquals(p.producerId(), last.producerId());
            assertEquals(log.logEndOffset(), log.lastStableOffset(), "no transaction is left open there");
        } finally {
            log.close();
        }
    }

    @Test
    void brokerClosedInPrepareCommitFinishesTheCommitOnReopen() throws Exception {
        assertCommitFinishedOnReopen(false);
    }

    @Test
    void brokerCrashedInPrepareCommitFinishesTheCommitOnReopen() throws Exception {
        assertCommitFinishedOnReopen(true);
    }

    @Test
    void pendingOffsetsStayPendingAcrossARestartUntilTheirTransactionCommits() throws Exception {
        Producer p;
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            p = openTransactionWithOffsets(broker);
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals("Ongoing", describe(broker.api(), "copier").state());
            assertEquals(-1L, committed(broker.api(), GROUP, T0));
            assertEquals(Errors.NONE, end(broker.api(), p, true).error(), "the producer's epoch survives the restart");
            awaitState(broker.api(), "copier", "CompleteCommit");
            assertEquals(5L, committed(broker.api(), GROUP, T0));
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(5L, committed(broker.api(), GROUP, T0), "replayed from the offsets topic and its marker");
            assertEquals("CompleteCommit", describe(broker.api(), "copier").state());
        }
    }

    @Test
    void abortedOffsetsStayDiscardedAfterARestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            Producer p = openTransactionWithOffsets(broker);
            end(broker.api(), p, false);
            awaitState(broker.api(), "copier", "CompleteAbort");
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(-1L, committed(broker.api(), GROUP, T0));
        }
    }

    @Test
    void corruptTransactionLogStopsTheOpenNamingTheOffsetAndReleasesTheDirectory() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            init(broker.api(), "app", 10_000);
        }
        appendToStateLog(true, new byte[] {0, 5, 0, 1, 'x'}, new byte[] {0, 0});
        CorruptRecordException e =
                assertThrows(CorruptRecordException.class, () -> EmbeddedBroker.open(config(Map.of())));
        assertTrue(e.getMessage().contains("offset 1") && e.getMessage().contains(STATE.toString()), e.getMessage());
        CorruptRecordException again =
                assertThrows(CorruptRecordException.class, () -> EmbeddedBroker.open(config(Map.of())));
        assertTrue(
                again.getMessage().contains("offset 1"),
                "the failed open released the directory: " + again.getMessage());
    }

    // ---- timers, on a manual clock -------------------------------------------------------------------------

    private BrokerConfig timerConfig() {
        return config(Map.of(
                BrokerConfig.TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS,
                100L,
                BrokerConfig.TRANSACTION_REMOVE_EXPIRED_INTERVAL_MS,
                100L,
                BrokerConfig.TRANSACTIONAL_ID_EXPIRATION_MS,
                600_000L));
    }

    @Test
    void timedOutTransactionIsAbortedAndTheProducerLearnsItOnItsNextCall() throws Exception {
        MockTime time = new MockTime();
        try (EmbeddedBroker broker = EmbeddedBroker.open(timerConfig(), time)) {
            createTopic(broker.api(), "t", 1, Map.of());
            Producer p = init(broker.api(), "app", 1_000);
            add(broker.api(), p, T0);
            produce(broker.api(), T0, txnBatch(p, 0, "late"));
            time.sleep(1_101);
            awaitState(broker.api(), "app", "CompleteAbort");
            List<RecordBatch> data = batches(broker.api(), T0);
            RecordBatch marker = data.get(data.size() - 1);
            assertEquals(ControlRecordType.ABORT, marker.controlType());
            assertEquals(p.producerEpoch() + 1, marker.producerEpoch(), "the abort fences the producer's epoch");
            assertEquals(Errors.INVALID_PRODUCER_EPOCH, add(broker.api(), p, T0).error());
            assertEquals(
                    Errors.INVALID_PRODUCER_EPOCH,
                    end(broker.api(), p, false).error(),
                    "its abort is done: re-initialise");
            InitProducerIdResponse bumped = initRaw(broker.api(), "app", 1_000, p.producerId(), p.producerEpoch());
            assertEquals(Errors.NONE, bumped.error().error(), bumped.error().message());
            assertEquals(p.producerEpoch() + 1, bumped.producerEpoch());
        }
    }

    @Test
    void ongoingTransactionKeepsItsTimeoutAcrossARestart() throws Exception {
        MockTime time = new MockTime();
        try (EmbeddedBroker broker = EmbeddedBroker.open(timerConfig(), time)) {
            createTopic(broker.api(), "t", 1, Map.of());
            add(broker.api(), init(broker.api(), "app", 1_000), T0);
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(timerConfig(), time)) {
            assertEquals("Ongoing", describe(broker.api(), "app").state());
            time.sleep(1_101);
            awaitState(broker.api(), "app", "CompleteAbort");
        }
    }

    @Test
    void idleTransactionalIdIsForgottenAfterItsExpiration() throws Exception {
        MockTime time = new MockTime();
        try (EmbeddedBroker broker = EmbeddedBroker.open(timerConfig(), time)) {
            init(broker.api(), "app", 1_000);
            time.sleep(600_000);
            waitUntil(
                    () -> {
                        try {
                            return describe(broker.api(), "app").error().error() == Errors.TRANSACTIONAL_ID_NOT_FOUND;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "app to expire");
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(timerConfig(), time)) {
            assertEquals(
                    Errors.TRANSACTIONAL_ID_NOT_FOUND,
                    describe(broker.api(), "app").error().error(),
                    "the tombstone is durable");
        }
    }
}
