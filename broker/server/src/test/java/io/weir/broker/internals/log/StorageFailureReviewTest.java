package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.CleanerTestBase.keyed;
import static io.weir.broker.internals.log.CleanerTestBase.transactional;
import static io.weir.broker.internals.log.ProducerBatches.marker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk;
import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.record.ControlRecordType;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 12 section 1: races and leaks around the storage-failure rule and the segment deleter. */
class StorageFailureReviewTest {
    private static final TopicPartition TP = new TopicPartition("tables", 0);

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final FaultyDisk disk = new FaultyDisk();
    private LogDirContext context;
    private Log log;
    private LogCleaner cleaner;

    @AfterEach
    void closeAll() {
        if (cleaner != null) {
            cleaner.close();
        }
        if (log != null) {
            log.close();
        }
        if (context != null) {
            context.deleter().close();
        }
    }

    private Path logDir() {
        return dir.resolve("tables-0");
    }

    private void open(Map<String, String> extra, CleanerHook hook) {
        Map<String, String> overrides = new HashMap<>(
                Map.of("cleanup.policy", "compact", "segment.bytes", "1024", "min.cleanable.dirty.ratio", "0.01"));
        overrides.putAll(extra);
        context = LogDirContext.of(dir, disk, time);
        log = Log.open(
                logDir(),
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, overrides),
                ProducerStateConfig.DEFAULT,
                time,
                Shutdown.CLEAN,
                context);
        cleaner = LogCleaner.create(
                CleanerTestBase.SMALL,
                dir.resolve("cleaner-offset-checkpoint"),
                () -> List.of(log),
                time,
                hook,
                context);
    }

    private void append(java.nio.ByteBuffer batch, AppendOrigin origin) {
        log.append(batch, origin);
        log.advanceHighWatermark();
    }

    private void writeRounds(int rounds, int keys) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                append(keyed(time.milliseconds(), "k" + k, "v" + round + "-" + k), AppendOrigin.CLIENT);
            }
        }
    }

    /**
     * The maintenance thread's sync of rolled segments (syncLock only, no log lock) is inside the fsync of
     * segment 0's transaction index when the cleaner swaps segment 0 out: markDeleted closes that index's
     * channel, the fsync ends with a ClosedChannelException, and flushRolledSegments reports it as a storage
     * failure (the log is not closed), taking the whole directory offline on a healthy disk. Before the branch
     * the same race only failed that checkpoint run.
     */
    @Test
    void aCleanerSwapDuringTheSyncOfRolledSegmentsDoesNotTakeTheDirectoryOffline() throws Exception {
        open(Map.of(), CleanerHook.NONE);
        short epoch = 0;
        append(transactional(7, epoch, 0, time.milliseconds(), "a", "aborted"), AppendOrigin.CLIENT);
        append(marker(ControlRecordType.ABORT, 7, epoch, 0, time.milliseconds()), AppendOrigin.COORDINATOR);
        writeRounds(6, 10);
        assertTrue(log.numberOfSegments() >= 3, "rolled segments to sync and clean: " + log.segmentBaseOffsets());
        assertFalse(log.abortedTransactions(0, 1).isEmpty(), "segment 0 has a transaction index");

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Path txnIndex = logDir().resolve(LogSegment.fileName(0, LogSegment.TXN_INDEX_SUFFIX));
        disk.holdOnce(FaultyDisk.Op.FORCE, txnIndex::equals, () -> {
            held.countDown();
            await(release);
        });
        FutureTask<Void> rolledSync = new FutureTask<>(log::flushRolledSegments, null);
        Thread maintenance = new Thread(rolledSync, "maintenance");
        maintenance.start();
        assertTrue(held.await(10, TimeUnit.SECONDS), "the sync of rolled segments reached segment 0's index");

        try {
            assertTrue(cleaner.cleanOnce(), "the cleaner swapped segment 0 out meanwhile");
            assertTrue(
                    Files.exists(logDir().resolve(
                                    LogSegment.fileName(0, LogSegment.LOG_SUFFIX) + LogSegment.DELETED_SUFFIX)),
                    "segment 0 was retired");
        } finally {
            release.countDown();
        }

        Throwable failure = failure(rolledSync);
        assertFalse(log.isOffline(), "a healthy disk went offline: " + failure);
    }

    /**
     * Same race with file.delete.delay.ms=0: the deleter closes the old segment's .log channel as soon as the
     * cleaner retires it, under the maintenance thread's fsync of it.
     */
    @Test
    void aCleanerSwapWithoutDeleteDelayDuringTheSyncOfRolledSegmentsDoesNotTakeTheDirectoryOffline() throws Exception {
        open(Map.of("file.delete.delay.ms", "0"), CleanerHook.NONE);
        writeRounds(6, 10);
        assertTrue(log.numberOfSegments() >= 3, "rolled segments to sync and clean: " + log.segmentBaseOffsets());

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Path segment0 = logDir().resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        disk.holdOnce(FaultyDisk.Op.FORCE, segment0::equals, () -> {
            held.countDown();
            await(release);
        });
        FutureTask<Void> rolledSync = new FutureTask<>(log::flushRolledSegments, null);
        new Thread(rolledSync, "maintenance").start();
        assertTrue(held.await(10, TimeUnit.SECONDS), "the sync of rolled segments reached segment 0");

        try {
            assertTrue(cleaner.cleanOnce(), "the cleaner swapped segment 0 out meanwhile");
        } finally {
            release.countDown();
        }

        Throwable failure = failure(rolledSync);
        assertFalse(log.isOffline(), "a healthy disk went offline: " + failure);
    }

    /**
     * A pass over several groups is stopped (here: the partition is paused, as topic deletion and config changes
     * do) after the first group's swap: Cleaner.clean throws away its local list of retired segments, so the
     * first group's old segment never reaches the SegmentDeleter. Its channels stay open and its .deleted file
     * stays on disk until the next restart.
     */
    @Test
    void segmentsRetiredByAStoppedMultiGroupPassReachTheDeleter() throws Exception {
        AtomicInteger groups = new AtomicInteger();
        CleanerHook pauseAtSecondGroup = step -> {
            if (step == CleanerHook.Step.GROUP_STARTED && groups.incrementAndGet() == 2) {
                Thread pauser = new Thread(() -> cleaner.pauseAndWait(TP), "pauser");
                pauser.setDaemon(true);
                pauser.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pauser.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
        };
        open(Map.of(), pauseAtSecondGroup);
        // Unique keys fill each segment, so every rolled segment is a group of its own.
        for (int i = 0; i < 40; i++) {
            append(keyed(time.milliseconds(), "key-" + i, "value-" + i), AppendOrigin.CLIENT);
        }
        assertTrue(log.numberOfSegments() >= 3, "several groups: " + log.segmentBaseOffsets());

        assertFalse(cleaner.cleanOnce(), "the pass stopped at the second group");
        assertTrue(groups.get() >= 2, "the first group was swapped before the stop");
        cleaner.resume(TP);

        assertEquals(1, context.deleter().pendingCount(), "the first group's old segment waits in the deleter");
        time.sleep(LogConfig.DEFAULTS.fileDeleteDelayMs() + 1);
        context.deleter().close();
        try (Stream<Path> files = Files.list(logDir())) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().endsWith(".deleted"))
                            .toList(),
                    "no .deleted file outlives the deleter");
        }
    }

    private static Throwable failure(FutureTask<Void> task) throws Exception {
        try {
            task.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
