package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk;
import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncs of one log on two threads around a failed one: the later sync must not move the recovery point. */
class LogSyncFailureTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    @Test
    void aSyncRightAfterAnotherThreadsFailedSyncOfTheSameFileMovesNoRecoveryPoint() throws Exception {
        MockTime time = new MockTime();
        FaultyDisk disk = new FaultyDisk();
        Log log = Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "300")),
                ProducerStateConfig.DEFAULT,
                time,
                Shutdown.CLEAN,
                LogDirContext.of(dir, disk, time));
        for (int i = 0; i < 6; i++) {
            log.append(LogTestSupport.batch(time.milliseconds(), LogTestSupport.value(100, i)), AppendOrigin.CLIENT);
            log.advanceHighWatermark();
        }
        assertTrue(log.numberOfSegments() > 1, "a rolled segment to sync");
        CountDownLatch failing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The first sync of segment 0 fails, held until released; the next one would succeed, as Linux answers
        // the fsync after a writeback error.
        disk.failOnce(FaultyDisk.Op.FORCE, dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX))::equals, () -> {
            failing.countDown();
            awaitQuietly(release);
        });
        FutureTask<Void> rolledSync = new FutureTask<>(log::flushRolledSegments, null);
        FutureTask<Void> writerSync = new FutureTask<>(log::flush, null);
        Thread maintenance = new Thread(rolledSync, "maintenance");
        Thread writer = new Thread(writerSync, "writer");

        maintenance.start();
        assertTrue(failing.await(10, TimeUnit.SECONDS), "the rolled-segment sync reached the failing fsync");
        writer.start();
        // Unserialised, the writer's flush would now sync segment 0 again, succeed, and move the recovery point
        // past the pages the failed fsync may have lost. It must wait for the failure to be recorded instead.
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!writerSync.isDone() && writer.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() - deadline < 0, "the writer neither finished nor waited");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        release.countDown();

        assertInstanceOf(LogDirFailureException.class, failure(rolledSync));
        assertInstanceOf(LogDirFailureException.class, failure(writerSync), "the writer's sync saw the failure first");
        assertEquals(0, log.recoveryPoint(), "no recovery point past the failed sync");
        assertTrue(log.isOffline());
        log.close();
    }

    private static Throwable failure(FutureTask<Void> task) throws Exception {
        try {
            task.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
