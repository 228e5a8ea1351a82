package io.weir.broker.internals;

import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.CleanerConfig;
import io.weir.broker.FaultyDisk;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.CleanerHook;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogDirFailureException;
import io.weir.broker.internals.log.LogManager;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FetchManager} when the log directory goes offline. Fetches run on the calling thread (a direct
 * executor) and wait far longer than the test runs, so a fetch that is done was answered by the wake-up, not by
 * its timer.
 */
class FetchManagerOfflineTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);
    private static final int NEVER_MS = Integer.MAX_VALUE;

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    private LogManager logs;
    private ScheduledExecutorService timer;
    private FetchManager fetches;

    @BeforeEach
    void open() {
        logs = LogManager.open(
                dir,
                LogConfig.DEFAULTS,
                ProducerStateConfig.DEFAULT,
                new MockTime(),
                CleanerConfig.DEFAULTS,
                CleanerHook.NONE,
                disk);
        logs.createTopic("t", 2, Map.of());
        timer = Executors.newSingleThreadScheduledExecutor();
        fetches = new FetchManager(logs, Runnable::run, timer);
    }

    @AfterEach
    void close() {
        fetches.completeAll();
        timer.shutdownNow();
        logs.close();
    }

    @Test
    void aWaitingFetchAnswersStorageErrorAsSoonAsItsDirectoryGoesOffline() {
        CompletableFuture<FetchResponse> waiting = fetches.fetch(new FetchRequest(
                NEVER_MS,
                1,
                1 << 20,
                IsolationLevel.READ_UNCOMMITTED,
                Map.of(T1, new FetchRequest.PartitionFetch(0, 1 << 20))));
        assertFalse(waiting.isDone(), "nothing to read: the fetch waits");

        // A failed sync of the other partition: t-1's high watermark never moves.
        Log t0 = logs.log(T0);
        t0.append(plain(1, utf8("lost")), AppendOrigin.CLIENT);
        disk.fail(
                FaultyDisk.Op.FORCE,
                path -> path.getParent() != null
                        && path.getParent().getFileName().toString().equals("t-0"));
        LogDirFailureException failure = assertThrows(LogDirFailureException.class, t0::flush);

        assertTrue(waiting.isDone(), "the fetch was answered when the directory went offline, not at its max wait");
        FetchResponse.PartitionData data = waiting.join().partitions().get(T1);
        assertEquals(
                Errors.KAFKA_STORAGE_ERROR, data.error().error(), data.error().message());
        assertTrue(
                data.error().message().contains(failure.file().toString()),
                data.error().message());
    }

    @Test
    void aFetchArrivingAfterTheDirectoryWentOfflineIsAnsweredAtOnce() {
        Log t0 = logs.log(T0);
        t0.append(plain(1, utf8("lost")), AppendOrigin.CLIENT);
        disk.fail(
                FaultyDisk.Op.FORCE,
                path -> path.getParent() != null
                        && path.getParent().getFileName().toString().equals("t-0"));
        assertThrows(LogDirFailureException.class, t0::flush);

        CompletableFuture<FetchResponse> fetched = fetches.fetch(new FetchRequest(
                NEVER_MS,
                1,
                1 << 20,
                IsolationLevel.READ_UNCOMMITTED,
                Map.of(T1, new FetchRequest.PartitionFetch(0, 1 << 20))));

        assertTrue(fetched.isDone());
        assertEquals(
                Errors.KAFKA_STORAGE_ERROR,
                fetched.join().partitions().get(T1).error().error());
    }
}
