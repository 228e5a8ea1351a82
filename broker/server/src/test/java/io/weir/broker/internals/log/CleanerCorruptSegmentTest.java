package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A rolled segment damaged while the broker was down, found when the cleaner reads it (as in Kafka, nothing
 * reads a rolled segment at open after a clean shutdown): the partition is left alone, and the reason names the
 * partition, the segment file and the byte position of the bad batch.
 */
class CleanerCorruptSegmentTest extends CleanerTestBase {

    @Test
    void corruptBatchInARolledSegmentIsNamedByFileAndBytePosition() throws Exception {
        open(true);
        int batchSize = keyed(time.milliseconds(), "k0", "v0").remaining();
        for (int i = 0; i < 4; i++) {
            append(keyed(time.milliseconds(), "k" + (i % 2), "v" + i));
        }
        log.roll();
        append(keyed(time.milliseconds(), "k0", "last"));
        log.roll();
        cleaner.close();
        log.close();
        Path rolled = logDir().resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        LogRecoveryTest.flip(rolled, 2L * batchSize + 65, 0x08); // inside batch 2's records: its CRC fails

        open(true);
        cleaner.cleanOnce();
        String reason = cleaner.uncleanablePartitions().get(TP);
        assertTrue(reason != null, "the partition is left alone");
        for (String expected : new String[] {TP.toString(), rolled.toString(), "byte " + 2 * batchSize, "CRC"}) {
            assertTrue(reason.contains(expected), "'" + expected + "' in: " + reason);
        }
    }
}
