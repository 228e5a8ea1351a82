package io.weir.broker.internals;

import static io.weir.broker.internals.log.ProducerBatches.marker;
import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogManager;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatches;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FetchManager} under read_committed. Fetches run on the calling thread (a direct executor), so a
 * waiting fetch is re-read synchronously when the test reports a high-watermark move; the timer only
 * bounds fetches the test never wakes.
 */
class ReadCommittedFetchTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PID = 5L;
    private static final long OTHER = 6L;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private LogManager logs;
    private Log log;
    private ScheduledExecutorService timer;
    private FetchManager fetches;

    @BeforeEach
    void open() {
        logs = LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, new MockTime());
        logs.createTopic(TP.topic(), 1, Map.of());
        log = logs.log(TP);
        timer = Executors.newSingleThreadScheduledExecutor();
        fetches = new FetchManager(logs, Runnable::run, timer);
    }

    @AfterEach
    void close() {
        fetches.completeAll();
        timer.shutdownNow();
        logs.close();
    }

    private void append(ByteBuffer batch, AppendOrigin origin) {
        log.append(batch, origin);
        log.advanceHighWatermark();
        fetches.onHighWatermarkAdvanced(TP);
    }

    private CompletableFuture<FetchResponse> fetch(IsolationLevel isolation, long offset, int maxWaitMs) {
        return fetches.fetch(new FetchRequest(
                maxWaitMs, 1, 1 << 20, isolation, Map.of(TP, new FetchRequest.PartitionFetch(offset, 1 << 20))));
    }

    /** plain 0, P's transaction 1..2 aborted at 3, Q's transaction open from 4, plain 5. */
    private void abortedThenOpen() {
        append(plain(1, utf8("a")), AppendOrigin.CLIENT);
        append(transactional(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT);
        append(marker(ControlRecordType.ABORT, PID, EPOCH, 0, 1), AppendOrigin.COORDINATOR);
        append(transactional(OTHER, EPOCH, 0, 1, 1), AppendOrigin.CLIENT);
        append(plain(1, utf8("b")), AppendOrigin.CLIENT);
    }

    @Test
    void readCommittedFetchStopsAtTheLastStableOffsetAndListsTheAbortedTransactions() {
        abortedThenOpen();

        FetchResponse.PartitionData data =
                fetch(IsolationLevel.READ_COMMITTED, 0, 0).join().partitions().get(TP);

        assertEquals(List.of(0L, 1L, 3L), baseOffsets(data.records()));
        assertEquals(List.of(new FetchResponse.AbortedTransaction(PID, 1)), data.abortedTransactions());
        assertEquals(4, data.lastStableOffset());
        assertEquals(6, data.highWatermark());
    }

    @Test
    void readUncommittedFetchReturnsEverythingAndStillAnswersTheLastStableOffset() {
        abortedThenOpen();

        FetchResponse.PartitionData data =
                fetch(IsolationLevel.READ_UNCOMMITTED, 0, 0).join().partitions().get(TP);

        assertEquals(List.of(0L, 1L, 3L, 4L, 5L), baseOffsets(data.records()));
        assertTrue(data.abortedTransactions().isEmpty());
        assertEquals(4, data.lastStableOffset());
    }

    @Test
    void readCommittedFetchListsOnlyTheAbortsOfTheReturnedRange() {
        abortedThenOpen();

        FetchResponse.PartitionData data =
                fetch(IsolationLevel.READ_COMMITTED, 4, 0).join().partitions().get(TP);

        assertFalse(data.records().hasRemaining(), "4 is the last stable offset");
        assertTrue(data.abortedTransactions().isEmpty());
    }

    @Test
    void waitingReadCommittedFetchCountsOnlyStableBytesAndWakesWhenAMarkerStabilisesThem() {
        append(transactional(PID, EPOCH, 0, 2, 1), AppendOrigin.CLIENT); // 0..1, open

        CompletableFuture<FetchResponse> waiting = fetch(IsolationLevel.READ_COMMITTED, 0, 60_000);
        assertFalse(waiting.isDone(), "the open transaction's bytes are not readable yet");
        append(plain(1, utf8("later")), AppendOrigin.CLIENT); // 2, above the LSO
        assertFalse(waiting.isDone(), "bytes above the last stable offset do not count");

        append(marker(ControlRecordType.COMMIT, PID, EPOCH, 0, 1), AppendOrigin.COORDINATOR); // 3

        assertTrue(waiting.isDone());
        FetchResponse.PartitionData data = waiting.join().partitions().get(TP);
        assertEquals(List.of(0L, 2L, 3L), baseOffsets(data.records()));
        assertEquals(4, data.lastStableOffset());
    }

    private static List<Long> baseOffsets(ByteBuffer batches) {
        List<Long> offsets = new ArrayList<>();
        RecordBatches.iterator(batches.duplicate()).forEachRemaining(b -> offsets.add(b.baseOffset()));
        return offsets;
    }
}
