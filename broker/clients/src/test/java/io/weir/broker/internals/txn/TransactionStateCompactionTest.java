package io.weir.broker.internals.txn;

import static io.weir.broker.TestFutures.await;
import static io.weir.broker.TransactionTestSupport.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.broker.TransactionTestSupport;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionState;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.Errors;
import io.weir.common.record.RecordBatch;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.MockTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code __transaction_state} under the log cleaner, end to end: a few transactional ids run many transactions
 * through a real broker on real files, small {@code transaction.state.log.segment.bytes} makes segments roll,
 * {@link EmbeddedBroker#runLogCleaner()} compacts them (the cleaner's threads are off), and after a clean or
 * crashed restart the coordinator must still know each id's producer id and epoch: a new instance gets the
 * next epoch of the same producer id, and the old epoch is fenced.
 */
class TransactionStateCompactionTest {
    private static final int SEGMENT_BYTES = 4 * 1024;
    private static final List<String> IDS = List.of("app-a", "app-b", "app-c");
    private static final int TRANSACTIONS = 200;
    private static final String OUT = "t";
    private static final long WAIT_SECONDS = 30;
    /** One transaction log record alone in a batch: 61 bytes of header, the id and the metadata with one partition. */
    private static final int LIVE_RECORD_BOUND = 61 + 140;

    enum Restart {
        CLEAN,
        CRASH
    }

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private EmbeddedBroker broker;
    private Admin admin;

    private BrokerConfig config() {
        return TransactionBrokerTest.config(
                dir,
                Map.of(
                        BrokerConfig.LOG_CLEANER_ENABLE,
                        false,
                        BrokerConfig.TRANSACTION_STATE_LOG_SEGMENT_BYTES,
                        SEGMENT_BYTES,
                        // Cleaned-away segments go right after the pass, so the files on disk are what the log holds.
                        BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS,
                        0L));
    }

    @BeforeEach
    void open() throws Exception {
        broker = EmbeddedBroker.open(config(), time);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        await(admin.createTopics(List.of(new NewTopic(OUT, 1, Map.of()))).all());
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    private void restart(Restart how) {
        admin.close();
        if (how == Restart.CRASH) {
            broker.crashForTesting();
        }
        broker.close();
        broker = EmbeddedBroker.open(config(), time);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        assertEquals(how == Restart.CLEAN, broker.openedAfterCleanShutdown());
    }

    private Producer<String, String> producer(String transactionalId) {
        return Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .transactionalId(transactionalId)
                        .lingerMs(0)
                        .build(),
                new StringSerializer(),
                new StringSerializer());
    }

    /**
     * Each id runs {@link #TRANSACTIONS} transactions of one record, every fifth aborted, the last committed. The
     * record is flushed first, so that an aborted transaction too went through the coordinator.
     */
    private void runTransactions() {
        List<Producer<String, String>> producers = new ArrayList<>();
        try {
            for (String id : IDS) {
                Producer<String, String> p = producer(id);
                producers.add(p);
                p.initTransactions();
            }
            for (int n = 0; n < TRANSACTIONS; n++) {
                for (Producer<String, String> p : producers) {
                    p.beginTransaction();
                    p.send(new ProducerRecord<>(OUT, "k", "v" + n));
                    p.flush();
                    if (n % 5 == 2) {
                        p.abortTransaction();
                    } else {
                        p.commitTransaction();
                    }
                }
            }
        } finally {
            producers.forEach(Producer::close);
        }
        for (String id : IDS) {
            awaitState(id, TransactionState.COMPLETE_COMMIT);
        }
    }

    private Map<String, TransactionDescription> describeAll() {
        return new TreeMap<>(await(admin.describeTransactions(IDS).all()));
    }

    private void awaitState(String transactionalId, TransactionState state) {
        TransactionTestSupport.waitUntil(
                () -> await(admin.describeTransactions(List.of(transactionalId)).all())
                                .get(transactionalId)
                                .state()
                        == state,
                transactionalId + " reaching " + state);
    }

    /** Bytes of the transaction log's segment files ({@code .log}) and how many there are. */
    private record DiskUsage(long logBytes, int segments) {}

    private DiskUsage transactionLogOnDisk() {
        try (Stream<Path> files = Files.walk(dir)) {
            long bytes = 0;
            int segments = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")
                            && f.getParent().getFileName().toString().startsWith(TransactionStateTopic.TOPIC + "-"))
                    .toList()) {
                bytes += Files.size(f);
                segments++;
            }
            return new DiskUsage(bytes, segments);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void manyTransactionsCompactToASmallTransactionLog() {
        runTransactions();
        DiskUsage before = transactionLogOnDisk();

        int passes = broker.runLogCleaner();

        DiskUsage after = transactionLogOnDisk();
        // The active segment (one partition), a placeholder at most per segment, and one record per id.
        long bound = SEGMENT_BYTES
                + (long) after.segments() * RecordBatch.HEADER_SIZE
                + (long) IDS.size() * LIVE_RECORD_BOUND;
        String sizes = "before " + before + ", after " + after + " (" + passes + " passes), bound " + bound;
        assertTrue(before.segments() > 10, "the transactions rolled many segments: " + sizes);
        assertTrue(after.logBytes() <= bound, sizes);
        assertTrue(after.logBytes() * 10 < before.logBytes(), "under a tenth of the size before cleaning: " + sizes);
    }

    @ParameterizedTest
    @EnumSource(Restart.class)
    void restartAfterCompactionKeepsEachTransactionalIdsProducerAndFencesItsOldEpoch(Restart restart) throws Exception {
        runTransactions();
        Map<String, TransactionDescription> before = describeAll();
        broker.runLogCleaner();

        restart(restart);

        assertEquals(before, describeAll(), "what the coordinator knows of each id");
        for (String id : IDS) {
            TransactionDescription old = before.get(id);
            try (Producer<String, String> next = producer(id)) {
                next.initTransactions();
                TransactionDescription now =
                        await(admin.describeTransactions(List.of(id)).all()).get(id);
                assertEquals(old.producerId(), now.producerId(), id);
                assertEquals(old.producerEpoch() + 1, now.producerEpoch(), id);
                TransactionTestSupport.Producer fenced =
                        new TransactionTestSupport.Producer(id, old.producerId(), (short) old.producerEpoch());
                assertEquals(
                        Errors.PRODUCER_FENCED,
                        add(broker.api(), fenced, new TopicPartition(OUT, 0)).error(),
                        id);
                next.beginTransaction();
                next.send(new ProducerRecord<>(OUT, "k", "after the restart"));
                next.commitTransaction();
            }
            awaitState(id, TransactionState.COMPLETE_COMMIT);
        }
    }
}
