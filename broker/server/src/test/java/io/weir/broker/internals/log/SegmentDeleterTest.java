package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one deleter of removed segments' files: they wait {@code file.delete.delay.ms} on the injected clock. */
class SegmentDeleterTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long DELAY_MS = 60_000;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final SegmentDeleter deleter = new SegmentDeleter(time);
    private Log log;

    @AfterEach
    void close() {
        deleter.close();
        if (log != null) {
            log.close();
        }
    }

    /** A log whose retention removes every rolled segment, with at least one rolled. */
    private List<DeletedSegment> retainedSegments() {
        log = Log.open(
                dir,
                TP,
                LogConfig.withOverrides(
                        LogConfig.DEFAULTS,
                        Map.of(
                                TopicConfig.SEGMENT_BYTES_CONFIG,
                                "300",
                                TopicConfig.RETENTION_BYTES_CONFIG,
                                "0",
                                TopicConfig.FILE_DELETE_DELAY_MS_CONFIG,
                                Long.toString(DELAY_MS))),
                ProducerStateConfig.DEFAULT,
                time,
                Shutdown.CLEAN);
        for (int i = 0; i < 6; i++) {
            log.append(LogTestSupport.batch(time.milliseconds(), LogTestSupport.value(100, i)), AppendOrigin.CLIENT);
            log.advanceHighWatermark();
        }
        List<DeletedSegment> deleted = log.deleteRetainedSegments();
        assertFalse(deleted.isEmpty(), "retention removed rolled segments");
        return deleted;
    }

    private long deletedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(LogSegment.DELETED_SUFFIX))
                    .count();
        }
    }

    @Test
    void keepsARetiredSegmentsFilesUntilItsDelayPassesOnTheInjectedClock() throws Exception {
        List<DeletedSegment> retired = retainedSegments();
        deleter.retire(retired);
        assertEquals(retired.size(), deletedFiles(), "readers in flight may still use them");

        time.sleep(DELAY_MS - 1);
        deleter.deleteDue();
        assertEquals(retired.size(), deletedFiles());

        time.sleep(1);
        deleter.deleteDue();
        assertEquals(0, deletedFiles());
        assertEquals(0, deleter.pendingCount());
    }

    @Test
    void deletesAtOnceWhatIsAlreadyDue() throws Exception {
        List<DeletedSegment> retired = retainedSegments();
        time.sleep(DELAY_MS);
        deleter.retire(retired);
        assertEquals(0, deletedFiles());
    }

    @Test
    void closeDeletesWhatStillWaits() throws Exception {
        deleter.retire(retainedSegments());
        deleter.close();
        assertEquals(0, deletedFiles());
    }

    @Test
    void schedulesADeletionForWhenEachSegmentFallsDue() throws Exception {
        List<Long> delays = new ArrayList<>();
        List<Runnable> tasks = new ArrayList<>();
        ScheduledThreadPoolExecutor recording = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                delays.add(unit.toMillis(delay));
                tasks.add(command);
                return null;
            }
        };
        try {
            deleter.scheduleOn(recording);
            List<DeletedSegment> retired = retainedSegments();
            deleter.retire(retired);
            assertEquals(retired.size(), delays.size());
            assertTrue(delays.stream().allMatch(d -> d == DELAY_MS), delays.toString());

            time.sleep(DELAY_MS);
            tasks.get(0).run();
            assertEquals(0, deletedFiles(), "the task deletes every segment due by then");
        } finally {
            recording.shutdownNow();
        }
    }
}
