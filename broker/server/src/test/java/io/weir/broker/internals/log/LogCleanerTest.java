package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.ProducerBatches.marker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.CleanerConfig;
import io.weir.broker.LogConfig;
import io.weir.common.IsolationLevel;
import io.weir.common.record.CompressionType;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The log cleaner on a real log directory: what a pass keeps, what it drops, and what survives a restart. */
class LogCleanerTest extends CleanerTestBase {
    @Test
    void keepsTheLatestRecordOfEveryKeyAtItsOriginalOffset() {
        open(true);
        writeRounds(10, 5);
        log.roll();
        List<String> before = contents(IsolationLevel.READ_UNCOMMITTED);
        long end = log.logEndOffset();
        int segmentsBefore = log.numberOfSegments();

        assertTrue(cleaner.cleanOnce());

        List<String> after = contents(IsolationLevel.READ_UNCOMMITTED);
        assertEquals(latest(before), latest(after));
        assertEquals(5, after.size(), "one record per key: " + after);
        for (String line : after) {
            assertTrue(before.contains(line), line + " kept its offset");
        }
        assertEquals(end, log.logEndOffset());
        assertEquals(0L, log.logStartOffset());
        assertEquals(end, cleaner.firstDirtyOffset(TP));
        assertFalse(cleaner.cleanOnce(), "nothing dirty is left");

        // Groups are formed from the segments' sizes before cleaning, as in Kafka, so the small segments the
        // first pass left are merged by the next one.
        append(keyed(time.milliseconds(), "k0", "again"));
        log.roll();
        assertTrue(cleaner.cleanOnce());
        assertEquals(
                2,
                log.numberOfSegments(),
                "small cleaned segments were merged into one, beside the active one: " + log.segmentBaseOffsets()
                        + " from " + segmentsBefore);
        assertEquals(5, contents(IsolationLevel.READ_UNCOMMITTED).size());
    }

    @Test
    void neverTouchesTheActiveSegment() {
        open(true);
        writeRounds(10, 5);
        long activeBase = log.segmentBaseOffsets().get(log.numberOfSegments() - 1);
        List<String> activeBefore = contents(IsolationLevel.READ_UNCOMMITTED).stream()
                .filter(line -> Long.parseLong(line.substring(0, line.indexOf(':'))) >= activeBase)
                .toList();
        assertFalse(activeBefore.isEmpty());

        cleaner.cleanOnce();

        List<String> activeAfter = contents(IsolationLevel.READ_UNCOMMITTED).stream()
                .filter(line -> Long.parseLong(line.substring(0, line.indexOf(':'))) >= activeBase)
                .toList();
        assertEquals(activeBefore, activeAfter);
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"NONE", "GZIP", "LZ4", "ZSTD", "SNAPPY"})
    void filtersCompressedBatchesRecordByRecord(CompressionType compression) {
        open(true);
        append(keyed(compression, 1, "a", "1", "b", "1", "c", "1"));
        append(keyed(compression, 2, "a", "2", "c", "2"));
        log.roll();
        cleaner.cleanOnce();
        assertEquals(List.of("1:b=1", "3:a=2", "4:c=2"), contents(IsolationLevel.READ_UNCOMMITTED));
        reopen(true);
        assertEquals(List.of("1:b=1", "3:a=2", "4:c=2"), contents(IsolationLevel.READ_UNCOMMITTED));
    }

    @Test
    void keepsATombstoneForDeleteRetentionAfterItsFirstCleaningThenRemovesIt() {
        open(true);
        append(keyed(1, "a", "1", "b", "1"));
        append(keyed(2, "a", null));
        log.roll();
        cleaner.cleanOnce();
        assertEquals(List.of("1:b=1", "2:a=null"), contents(IsolationLevel.READ_UNCOMMITTED), "the tombstone stays");

        append(keyed(3, "c", "1"));
        log.roll();
        time.sleep(999);
        cleaner.cleanOnce();
        assertEquals(
                List.of("1:b=1", "2:a=null", "3:c=1"),
                contents(IsolationLevel.READ_UNCOMMITTED),
                "delete.retention.ms has not passed since the first cleaning");

        time.sleep(1);
        append(keyed(4, "d", "1"));
        log.roll();
        reopen(false); // the horizon is in the batch, so it survives a restart
        cleaner.cleanOnce();
        assertEquals(List.of("1:b=1", "3:c=1", "4:d=1"), contents(IsolationLevel.READ_UNCOMMITTED));
    }

    @Test
    void dropsAbortedTransactionsAndKeepsMarkersUntilTheirDataIsGoneAndTheHorizonPassed() {
        open(true);
        short epoch = 0;
        append(transactional(7, epoch, 0, 1, "a", "aborted"));
        append(marker(ControlRecordType.ABORT, 7, epoch, 0, 1), AppendOrigin.COORDINATOR);
        append(transactional(7, epoch, 1, 2, "b", "committed"));
        append(marker(ControlRecordType.COMMIT, 7, epoch, 0, 2), AppendOrigin.COORDINATOR);
        append(keyed(3, "a", "plain"));
        append(keyed(3, "z", "1"));
        log.roll();
        List<String> committedBefore = contents(IsolationLevel.READ_COMMITTED);

        cleaner.cleanOnce();
        assertEquals(committedBefore, contents(IsolationLevel.READ_COMMITTED));
        assertEquals(
                List.of("2:b=committed", "4:a=plain", "5:z=1"),
                contents(IsolationLevel.READ_UNCOMMITTED),
                "the aborted record is gone even for read_uncommitted");
        assertEquals(2, countBatches(true), "both markers stay until the horizon passes");

        // b is overwritten, so the committed transaction's record goes; after the horizon the ABORT marker goes.
        // The producer's last batch stays, empty, so its sequence survives, and with it its COMMIT marker, or
        // a rebuild of the producer state would take that batch's transaction for an open one.
        append(keyed(4, "b", "plain"));
        log.roll();
        time.sleep(1000);
        cleaner.cleanOnce();
        assertEquals(List.of("4:a=plain", "5:z=1", "6:b=plain"), contents(IsolationLevel.READ_UNCOMMITTED));
        assertEquals(1, countBatches(true), "only the marker ending the producer's last batch is left");
        assertTrue(log.abortedTransactions(0, log.logEndOffset()).isEmpty(), "the index entry went with its marker");
        assertEquals(log.logEndOffset(), log.lastStableOffset(), "no transaction looks open");

        reopen(true);
        assertEquals(
                log.logEndOffset(), log.lastStableOffset(), "nor after a crash and a rebuild of the producer state");
        assertEquals(List.of("4:a=plain", "5:z=1", "6:b=plain"), contents(IsolationLevel.READ_COMMITTED));
    }

    @Test
    void neverCleansAtOrPastTheLastStableOffset() {
        open(true);
        append(keyed(1, "a", "1"));
        log.roll();
        append(transactional(9, (short) 0, 0, 1, "a", "open"));
        append(keyed(1, "a", "2"));
        log.roll();
        append(keyed(1, "a", "3"));
        log.roll();
        assertEquals(1L, log.lastStableOffset());
        List<String> before = contents(IsolationLevel.READ_UNCOMMITTED);

        cleaner.cleanOnce();
        assertEquals(
                before,
                contents(IsolationLevel.READ_UNCOMMITTED),
                "only the segment below the LSO is cleanable, and a pass over it alone changes nothing");

        append(marker(ControlRecordType.COMMIT, 9, (short) 0, 0, 2), AppendOrigin.COORDINATOR);
        log.roll();
        cleaner.cleanOnce();
        assertEquals(List.of("3:a=3"), contents(IsolationLevel.READ_UNCOMMITTED));
    }

    @Test
    void keepsEachProducersLastBatchSoItsStateSurvivesARebuildFromTheLog() throws IOException {
        open(true);
        short epoch = 3;
        append(idempotent(5, epoch, 0, 1, "a", "1"));
        append(idempotent(5, epoch, 1, 1, "a", "2"));
        append(keyed(1, "a", "3"));
        log.roll();
        cleaner.cleanOnce();
        assertEquals(List.of("2:a=3"), contents(IsolationLevel.READ_UNCOMMITTED));

        // Without snapshots the state comes from the log alone: the emptied last batch still carries it.
        log.closeWithoutFlush();
        cleaner.close();
        try (Stream<Path> files = Files.list(logDir())) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".snapshot")).toList()) {
                Files.delete(file);
            }
        }
        open(false);
        assertEquals(1, log.producers().get(5L).lastSeq());
        LogAppendInfo resend = log.append(idempotent(5, epoch, 1, 1, "a", "2"), AppendOrigin.CLIENT);
        assertTrue(resend.isDuplicate(), "a resend of the last batch is still recognised");
        assertEquals(1L, resend.firstOffset());
    }

    @Test
    void aSmallMapCleansInSeveralPassesWithTheSameResult() {
        cleanerConfig = new CleanerConfig(false, 1, 1024L * OffsetMap.BYTES_PER_ENTRY, 64 * 1024, 0.5, 1000L);
        overrides.put("segment.bytes", "65536");
        open(true);
        writeRounds(3, 2000);
        log.roll();
        Map<String, String> expected = latest(contents(IsolationLevel.READ_UNCOMMITTED));

        int passes = cleaner.cleanUntilClean();

        assertTrue(passes > 1, "512 keys a pass cannot hold 2000 keys: " + passes);
        List<String> after = contents(IsolationLevel.READ_UNCOMMITTED);
        assertEquals(expected, latest(after));
        assertEquals(2000, after.size());
    }

    @Test
    void respectsTheMinimumCompactionLag() {
        overrides.put("min.compaction.lag.ms", "5000");
        open(true);
        writeRounds(2, 3);
        log.roll();
        assertFalse(cleaner.cleanOnce(), "records younger than min.compaction.lag.ms stay");
        time.sleep(5001);
        assertTrue(cleaner.cleanOnce());
        assertEquals(3, contents(IsolationLevel.READ_UNCOMMITTED).size());
    }

    @Test
    void theMaximumCompactionLagCleansALogBelowItsDirtyRatio() {
        overrides.put("max.compaction.lag.ms", "20000");
        overrides.put("segment.bytes", "100000");
        open(true);
        writeRounds(20, 5);
        log.roll();
        assertTrue(cleaner.cleanOnce());
        log.updateConfig(LogConfig.withOverrides(log.config(), Map.of("min.cleanable.dirty.ratio", "0.9")));
        append(keyed(time.milliseconds(), "k0", "late"));
        log.roll();
        assertFalse(cleaner.cleanOnce(), "one dirty record is far below a 0.9 dirty ratio");
        time.sleep(20001);
        assertTrue(cleaner.cleanOnce(), "max.compaction.lag.ms forces the cleaning");
        assertEquals(5, contents(IsolationLevel.READ_UNCOMMITTED).size());
    }

    @Test
    void rollsTheActiveSegmentOfACompactedLogWhenItsFirstRecordReachesTheMaximumLag() {
        overrides.put("max.compaction.lag.ms", "20000");
        overrides.put("segment.bytes", "100000");
        open(true);
        append(keyed(time.milliseconds(), "a", "1"));
        time.sleep(20001);
        append(keyed(time.milliseconds(), "a", "2"));
        assertEquals(2, log.numberOfSegments(), "the first record is now cleanable");
    }

    @Test
    void progressSurvivesARestartThroughTheCheckpoint() {
        open(true);
        writeRounds(4, 4);
        log.roll();
        cleaner.cleanOnce();
        long dirty = cleaner.firstDirtyOffset(TP);
        assertTrue(dirty > 0);
        reopen(false);
        assertEquals(dirty, cleaner.firstDirtyOffset(TP));
        assertFalse(cleaner.cleanOnce());
    }

    @Test
    void leavesALogWithACorruptBatchAloneAndSaysWhy() throws IOException {
        open(true);
        writeRounds(4, 4);
        log.roll();
        log.close();
        Path first = logDir().resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        byte[] bytes = Files.readAllBytes(first);
        bytes[RecordBatch.HEADER_SIZE + 3] ^= 0x5a; // inside the first batch's records: its CRC no longer matches
        Files.write(first, bytes);
        cleaner.close();
        open(true);
        List<String> before = contents(IsolationLevel.READ_UNCOMMITTED);

        assertFalse(cleaner.cleanOnce());

        assertTrue(
                cleaner.uncleanablePartitions().get(TP).contains("CRC"),
                cleaner.uncleanablePartitions().toString());
        assertEquals(before, contents(IsolationLevel.READ_UNCOMMITTED));
        try (Stream<Path> files = Files.list(logDir())) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".cleaned")), "no half-written segment is left");
        }
    }

    /** A kill at each step of a pass leaves, after recovery, exactly the old log or exactly the cleaned one. */
    @ParameterizedTest
    @EnumSource(CleanerHook.Step.class)
    void aCrashAtAnyStepLeavesTheOldOrTheNewSegmentsNeverAMix(CleanerHook.Step step) throws IOException {
        overrides.put("segment.bytes", "400");
        open(true);
        short epoch = 0;
        append(transactional(7, epoch, 0, 1, "a", "aborted", "q", "aborted"));
        append(marker(ControlRecordType.ABORT, 7, epoch, 0, 1), AppendOrigin.COORDINATOR);
        writeRounds(6, 4);
        log.roll();
        List<String> old = contents(IsolationLevel.READ_COMMITTED);
        log.flush();

        // The expected cleaned log: the same files cleaned without a crash.
        Path copy = dir.resolve("copy");
        copyTree(logDir(), copy.resolve("tables-0"));
        Log twin = Log.open(
                copy.resolve("tables-0"), TP, log.config(), ProducerStateConfig.DEFAULT, time, Shutdown.crash(0L));
        List<String> cleaned;
        try (LogCleaner twinCleaner =
                LogCleaner.create(SMALL, copy.resolve("ckpt"), () -> List.of(twin), time, CleanerHook.NONE)) {
            assertTrue(twinCleaner.cleanOnce());
            Log saved = log;
            log = twin;
            cleaned = contents(IsolationLevel.READ_COMMITTED);
            log = saved;
        } finally {
            twin.close();
        }
        assertTrue(cleaned.size() < old.size());

        cleaner.close();
        int[] seen = {0};
        hook = reached -> {
            if (reached == step && seen[0]++ == 0) {
                throw new SimulatedCrash();
            }
        };
        cleaner = LogCleaner.create(SMALL, dir.resolve("cleaner-offset-checkpoint"), () -> List.of(log), time, hook);
        try {
            cleaner.cleanOnce();
        } catch (SimulatedCrash expected) {
            // the kill
        }
        assertEquals(1, seen[0], "the pass reached " + step);
        cleaner.stop();
        log.closeWithoutFlush();
        hook = CleanerHook.NONE;
        open(false);

        List<String> recovered = contents(IsolationLevel.READ_COMMITTED);
        assertTrue(
                recovered.equals(old) || recovered.equals(cleaned),
                "after a crash at " + step + ": " + recovered + "\nold: " + old + "\ncleaned: " + cleaned);
        try (Stream<Path> files = Files.list(logDir())) {
            assertTrue(files.noneMatch(
                    f -> f.toString().endsWith(".cleaned") || f.toString().endsWith(".swap")));
        }
        // and the next pass finishes the job
        cleaner.cleanUntilClean();
        assertEquals(cleaned, contents(IsolationLevel.READ_COMMITTED));
    }

    @Test
    void retentionRemovingASegmentUnderAPassAbandonsItWithoutMarkingTheLogUncleanable() {
        overrides.put("cleanup.policy", "compact,delete");
        overrides.put("segment.bytes", "300");
        overrides.put("file.delete.delay.ms", "0");
        int[] groups = {0};
        hook = step -> {
            if (step == CleanerHook.Step.GROUP_STARTED && ++groups[0] == 2) {
                // retention, between two groups of the pass: it takes the oldest segments, files and all
                log.updateConfig(LogConfig.withOverrides(log.config(), Map.of("retention.bytes", "1000")));
                for (DeletedSegment deleted : log.deleteRetainedSegments()) {
                    deleted.deleteFiles();
                }
            }
        };
        open(true);
        writeRounds(8, 4);
        log.roll();
        long startBefore = log.logStartOffset();

        assertFalse(cleaner.cleanOnce(), "the pass was abandoned");

        assertTrue(log.logStartOffset() > startBefore, "retention ran");
        assertTrue(
                cleaner.uncleanablePartitions().isEmpty(),
                cleaner.uncleanablePartitions().toString());
        List<String> left = contents(IsolationLevel.READ_UNCOMMITTED);
        hook = CleanerHook.NONE;
        reopen(true);
        assertEquals(left, contents(IsolationLevel.READ_UNCOMMITTED), "what retention left is intact on disk");
        assertTrue(cleaner.cleanOnce(), "and the next pass cleans it");
        assertEquals(latest(left), latest(contents(IsolationLevel.READ_UNCOMMITTED)));
    }

    @Test
    void aSegmentCleanedTwiceWithinTheDeleteDelayKeepsEachRetiredFileUntilItsOwnDeletion() throws IOException {
        overrides.put("file.delete.delay.ms", "60000");
        open(true);
        writeRounds(3, 4);
        log.roll();
        assertTrue(cleaner.cleanOnce());
        append(keyed(time.milliseconds(), "k0", "again"));
        log.roll();
        assertTrue(cleaner.cleanOnce());
        try (Stream<Path> files = Files.list(logDir())) {
            List<Path> retired = files.filter(f -> f.getFileName().toString().startsWith(LogSegment.fileName(0, ""))
                            && f.toString().endsWith(LogSegment.DELETED_SUFFIX))
                    .toList();
            assertEquals(2, retired.size(), "both retired versions of segment 0 wait: " + retired);
        }
        time.sleep(60_000);
        assertFalse(cleaner.cleanOnce());
        try (Stream<Path> files = Files.list(logDir())) {
            assertTrue(
                    files.noneMatch(f -> f.toString().endsWith(LogSegment.DELETED_SUFFIX)), "deleted after the delay");
        }
    }

    @Test
    void itsThreadsCleanInTheBackgroundAndStopOnClose() throws Exception {
        cleanerConfig = new CleanerConfig(true, 2, 1024L * 1024, 64 * 1024, 0.9, 5L);
        java.util.concurrent.CountDownLatch passes = new java.util.concurrent.CountDownLatch(1);
        hook = step -> {
            if (step == CleanerHook.Step.PASS_DONE) {
                passes.countDown();
            }
        };
        open(true);
        writeRounds(6, 4);
        log.roll();
        long end = log.logEndOffset();

        java.util.Set<Thread> before = cleanerThreads();
        cleaner.startup();
        assertTrue(cleanerThreads().size() >= before.size() + 2, "two threads started");
        assertTrue(passes.await(30, java.util.concurrent.TimeUnit.SECONDS), "a cleaner thread ran a pass");
        cleaner.close();

        assertEquals(end, cleaner.firstDirtyOffset(TP));
        assertEquals(4, contents(IsolationLevel.READ_UNCOMMITTED).size());
        java.util.Set<Thread> left = cleanerThreads();
        left.removeAll(before);
        assertTrue(left.isEmpty(), "close joined the threads: " + left);
    }

    private static java.util.Set<Thread> cleanerThreads() {
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("weir-log-cleaner") && t.isAlive()) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void aSwapMarkerThatIsNotAnOffsetRefusesToOpenTheLog() throws IOException {
        open(true);
        append(keyed(1, "a", "1"));
        log.close();
        Files.writeString(logDir().resolve(LogSegment.fileName(0, SegmentSwap.MARKER_SUFFIX)), "garbage");
        cleaner.close();
        io.weir.common.errors.KafkaStorageException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.weir.common.errors.KafkaStorageException.class, () -> open(true));
        assertTrue(e.getMessage().contains("not an offset"), e.getMessage());
        log = null;
        cleaner = null;
    }

    private int countBatches(boolean control) {
        int count = 0;
        long next = log.logStartOffset();
        while (next < log.highWatermark()) {
            ByteBuffer batches = log.read(next, 1 << 20, true).batches();
            if (!batches.hasRemaining()) {
                break;
            }
            while (batches.hasRemaining()) {
                RecordBatch batch = RecordBatch.wrap(batches);
                if (batch.isControl() == control) {
                    count++;
                }
                next = batch.nextOffset();
                batches.position(batches.position() + batch.sizeInBytes());
            }
        }
        return count;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
