package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.broker.FaultyDisk;
import io.weir.broker.LogConfig;
import io.weir.common.config.TopicConfig;
import io.weir.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time index on disk covers every offset-index entry on disk, whatever fails or crashes between their writes:
 * {@link LogSegment#recoverAfter} takes the running maximum timestamp below the entry it starts from from the time
 * index, so an offset entry written without its time entries would hide the batches between them from recovery.
 */
class IndexFlushOrderTest {
    private static final int MAX_BATCH = 1 << 20;

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    /** An offset-index entry for every batch. */
    private final LogConfig config =
            LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, "1"));

    private long next;

    private void append(LogSegment segment, long timestamp) throws IOException {
        ByteBuffer batch = LogTestSupport.batch(timestamp, LogTestSupport.value(100, (int) next));
        RecordBatch.wrap(batch).setBaseOffset(next);
        segment.append(batch, next, timestamp);
        next++;
    }

    @Test
    void aFailedTimeIndexWriteLeavesTheOffsetIndexBehindItAndRecoveryFindsTheMaximumTimestamp() throws Exception {
        LogSegment segment = LogSegment.create(dir, 0, config, 0L, disk);
        append(segment, 1_000);
        segment.syncData();
        segment.flushOffsetIndexes();
        append(segment, 9_000); // out of order: the running maximum from here on
        append(segment, 2_000);
        append(segment, 3_000);
        segment.syncData();
        disk.failOnce(FaultyDisk.Op.FORCE, p -> p.toString().endsWith(LogSegment.TIME_INDEX_SUFFIX), () -> {});
        assertThrows(FileWriteException.class, segment::flushOffsetIndexes);
        segment.closeWithoutFlush(); // the crash: the time index keeps only what its last successful sync covered

        LogSegment reopened = LogSegment.open(dir, 0, config, disk);
        try {
            assertEquals(null, reopened.recoverAfter(next, MAX_BATCH, false, Long.MAX_VALUE));
            assertEquals(9_000, reopened.maxTimestamp(), "the out-of-order batch's timestamp below the recovery point");
        } finally {
            reopened.closeWithoutFlush();
        }
    }
}
