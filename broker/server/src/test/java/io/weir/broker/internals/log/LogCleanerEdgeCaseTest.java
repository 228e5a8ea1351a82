package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.CleanerTestBase.idempotent;
import static io.weir.broker.internals.log.CleanerTestBase.keyed;
import static io.weir.broker.internals.log.CleanerTestBase.transactional;
import static io.weir.broker.internals.log.ProducerBatches.marker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.IsolationLevel;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cleaner at its edges: readers racing a swap, batches emptied for their producer, a corrupt batch length,
 * the high watermark across a swap, an interrupted caller, and a cleaned segment that recovery leaves as the
 * last one. Each test failed before its fix.
 */
class LogCleanerEdgeCaseTest extends CleanerTestBase {
    // ---- emptied batches go once they are no longer their producer's last, and their markers with them ----

    @Test
    void anEmptiedBatchIsDroppedOnceItIsNoLongerItsProducersLast() {
        open(true, 0L);
        short epoch = 0;
        int rounds = 4;
        for (int i = 0; i < rounds; i++) {
            append(transactional(7, epoch, i, 1, "k" + i, "txn" + i));
            append(marker(ControlRecordType.COMMIT, 7, epoch, 0, 1), AppendOrigin.COORDINATOR);
            append(keyed(1, "k" + i, "plain")); // supersedes the transactional record
            log.roll();
            time.sleep(2000); // every horizon stamped so far has passed
            cleaner.cleanUntilClean();
        }
        long producerBatches = batches().stream()
                .filter(b -> b.producerId() == 7 && !b.isControl())
                .count();
        long markers = batches().stream().filter(RecordBatch::isControl).count();
        // Kafka keeps only the producer's last batch (empty) and the marker ending it.
        assertEquals(1, producerBatches, "empty batches of producer 7 left: " + producerBatches);
        assertEquals(1, markers, "markers left: " + markers);
    }

    @Test
    void anEmptiedIdempotentBatchIsDroppedOnceItIsNoLongerTheLast() {
        open(true, 0L);
        short epoch = 0;
        for (int i = 0; i < 4; i++) {
            append(idempotent(5, epoch, i, 1, "k" + i, "v"));
            append(keyed(1, "k" + i, "plain"));
            log.roll();
            cleaner.cleanUntilClean();
        }
        long empties = batches().stream()
                .filter(b -> b.producerId() == 5 && b.recordCount() == 0)
                .count();
        assertEquals(1, empties, "empty batches of producer 5 left");
    }

    // ---- a batch length running past the segment end marks the log uncleanable ----------------------------

    @Test
    void aCorruptBatchLengthMarksTheLogUncleanableInsteadOfSpinning() throws Exception {
        open(true, 0L);
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 4; k++) {
                append(keyed(1, "k" + k, "v" + round));
            }
        }
        log.roll();
        log.close();
        cleaner.close();
        Path first = logDir().resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(first));
        bytes.putInt(RecordBatch.LENGTH_OFFSET, bytes.capacity() + 1000); // the first batch claims more than the file
        Files.write(first, bytes.array());
        open(true, 0L);

        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread pass = new Thread(() -> {
            try {
                outcome.set(cleaner.cleanOnce());
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        pass.start();
        pass.join(5000);
        boolean spinning = pass.isAlive();
        cleaner.stop(); // lets the spinning pass see its stop flag
        pass.join(5000);
        assertFalse(spinning, "the pass was still running after 5 s; outcome after stop: " + outcome.get());
        assertTrue(cleaner.uncleanablePartitions().containsKey(TP));
    }

    // ---- a swap leaves the high watermark where the writer published it --------------------------------------

    @Test
    void aSwapDoesNotMoveTheHighWatermark() {
        open(true, 0L);
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 4; k++) {
                append(keyed(1, "k" + k, "v" + round));
            }
        }
        log.roll();
        log.append(keyed(1, "z", "written, not yet flushed nor published"), AppendOrigin.CLIENT);
        long hw = log.highWatermark();
        assertTrue(hw < log.logEndOffset());

        assertTrue(cleaner.cleanOnce());

        assertEquals(hw, log.highWatermark(), "the cleaner published the unflushed append to readers");
    }

    // ---- readers walk segments by entry, so a swap removing the floor segment skips nothing ----------------

    @Test
    void aReadRacingASwapDoesNotSkipRetainedRecords() throws IOException {
        open(true, 0L);
        append(keyed(1, "a", "1"));
        append(keyed(1, "b", "1"));
        log.roll(); // [0, 2)
        append(keyed(1, "c", "1"));
        append(keyed(1, "a", "2"));
        log.roll(); // [2, 4)
        append(keyed(1, "e", "1")); // active [4, ..)
        try (BeforeAndAfter copies = cleanKeepingCopies()) {
            // the swap lands right after the reader found the segment holding offset 2
            LogReader reader = new LogReader(TP, copies.swappingAfterFloorLookups(1), () -> 0L);
            ByteBuffer read = reader.read(2, 1 << 20, true, IsolationLevel.READ_UNCOMMITTED, copies.published(), 5)
                    .batches();
            RecordBatch first = RecordBatch.wrap(read);
            assertTrue(
                    first.baseOffset() <= 2,
                    "a fetch at offset 2 got the batch at " + first.baseOffset()
                            + ": the retained records at 2 (c=1) and 3 (a=2) were skipped");
        }
    }

    /** A timing-dependent stress run of the race the deterministic test above pins down: {@code -Dsoak}. */
    @Test
    @org.junit.jupiter.api.Tag("soak")
    void concurrentFetchesNeverSkipARetainedRecordWhileTheCleanerSwaps() throws Exception {
        overrides.put("segment.bytes", "1000000");
        open(true, 0L);
        java.util.concurrent.atomic.AtomicLong target = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicLong skips = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                long at = target.get();
                if (at < 0) {
                    continue;
                }
                try {
                    ByteBuffer b = log.read(at, 1 << 16, true).batches();
                    reads.incrementAndGet();
                    if (b.hasRemaining() && RecordBatch.wrap(b).baseOffset() > at) {
                        skips.incrementAndGet();
                        if (seen.size() < 3) {
                            seen.add("fetch at " + at + " returned batch "
                                    + RecordBatch.wrap(b).baseOffset());
                        }
                    }
                } catch (RuntimeException e) {
                    // ignore
                }
            }
        });
        reader.start();
        long deadline = System.nanoTime() + 8_000_000_000L;
        int rounds = 0;
        while (System.nanoTime() < deadline && skips.get() == 0) {
            append(keyed(1, "churn", "x" + rounds));
            log.roll();
            long unique = log.logEndOffset();
            append(keyed(1, "u" + rounds, "kept")); // never overwritten: must always be readable at its offset
            append(keyed(1, "churn", "y" + rounds));
            log.roll(); // [unique, ..) becomes a segment the next pass merges away
            append(keyed(1, "tail", "z"));
            target.set(unique);
            Thread.yield(); // give the reader a turn
            cleaner.cleanUntilClean();
            rounds++;
        }
        done.set(true);
        reader.join();
        assertEquals(0, skips.get(), rounds + " rounds, " + reads.get() + " reads: " + seen);
    }

    @Test
    void aReadCommittedFetchRacingASwapKeepsTheAbortedTransactionsOfTheBytesItReturns() throws IOException {
        open(true, 0L);
        short epoch = 0;
        append(keyed(1, "a", "1"));
        log.roll(); // [0, 1)
        append(transactional(7, epoch, 0, 1, "t", "aborted")); // 1
        append(marker(ControlRecordType.ABORT, 7, epoch, 0, 1), AppendOrigin.COORDINATOR); // 2
        append(keyed(1, "b", "1")); // 3
        log.roll(); // [1, 4)
        append(keyed(1, "c", "1")); // active [4, ..)
        try (BeforeAndAfter copies = cleanKeepingCopies()) {
            assertEquals(1, log.abortedTransactions(1, 4).size(), "the ABORT marker and its entry moved into [0, 4)");
            // the read goes to the old segment; the swap lands before the index look-up
            LogReader reader = new LogReader(TP, copies.swappingAfterFloorLookups(1), () -> 0L);
            ByteBuffer read = reader.read(1, 1 << 20, true, IsolationLevel.READ_COMMITTED, copies.published(), 5)
                    .batches();
            RecordBatch first = RecordBatch.wrap(read);
            assertEquals(1, first.baseOffset());
            assertTrue(first.isTransactional() && first.recordCount() == 1, "the fetch returned the aborted record");
            List<AbortedTxn> aborted = reader.abortedTransactions(1, 4);
            assertEquals(
                    1,
                    aborted.size(),
                    "a read_committed consumer gets the aborted record without its abort entry: " + aborted);
        }
    }

    /**
     * A pass's segments before and after it, opened from copies of the directory: the old ones (the active one
     * included) and the cleaned one, which replaced every old one below the active segment.
     */
    private record BeforeAndAfter(List<LogSegment> old, LogSegment cleaned) implements AutoCloseable {

        /** What the writer published: the high watermark at the log end, in the (unchanged) active segment. */
        PublishedOffsets published() {
            LogSegment active = old.get(old.size() - 1);
            return new PublishedOffsets(5, active.baseOffset, active.size(), 5);
        }

        /**
         * The old segments in a map that, right after its {@code n}th floor look-up, swaps as
         * {@link Log#replaceSegments} does: puts the cleaned segment, then removes the other old ones it replaced.
         */
        ConcurrentSkipListMap<Long, LogSegment> swappingAfterFloorLookups(int n) {
            ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>() {
                private int lookups;

                @Override
                public Long floorKey(Long key) {
                    Long floor = super.floorKey(key);
                    swapAfter();
                    return floor;
                }

                @Override
                public Map.Entry<Long, LogSegment> floorEntry(Long key) {
                    Map.Entry<Long, LogSegment> floor = super.floorEntry(key);
                    swapAfter();
                    return floor;
                }

                private void swapAfter() {
                    if (++lookups == n) {
                        put(cleaned.baseOffset, cleaned);
                        for (LogSegment segment : old.subList(1, old.size() - 1)) {
                            remove(segment.baseOffset);
                        }
                    }
                }
            };
            for (LogSegment segment : old) {
                segments.put(segment.baseOffset, segment);
            }
            return segments;
        }

        @Override
        public void close() throws IOException {
            for (LogSegment segment : old) {
                segment.close();
            }
            cleaned.close();
        }
    }

    /** Runs one pass that must merge every rolled segment into one, keeping copies of the files before and after. */
    private BeforeAndAfter cleanKeepingCopies() throws IOException {
        log.flush();
        List<Long> bases = log.segmentBaseOffsets();
        Path before = dir.resolve("before");
        copy(logDir(), before);
        assertTrue(cleaner.cleanOnce());
        assertEquals(
                List.of(bases.get(0), bases.get(bases.size() - 1)),
                log.segmentBaseOffsets(),
                "the rolled segments merged into one cleaned segment");
        log.flush();
        Path after = dir.resolve("after");
        copy(logDir(), after);
        List<LogSegment> old = new ArrayList<>();
        for (long base : bases) {
            old.add(LogSegment.open(before, base, log.config(), FileChannelFactory.SYSTEM));
        }
        return new BeforeAndAfter(old, LogSegment.open(after, bases.get(0), log.config(), FileChannelFactory.SYSTEM));
    }

    @Test
    void anInterruptedCleanOnceCallerDoesNotCloseTheLogsSegments() {
        open(true, 0L);
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 4; k++) {
                append(keyed(1, "k" + k, "v" + round));
            }
        }
        log.roll();
        Thread.currentThread()
                .interrupt(); // e.g. a Future.cancel(true) of a task calling EmbeddedBroker.runLogCleaner()
        boolean cleaned;
        boolean stillInterrupted;
        try {
            cleaned = cleaner.cleanOnce();
        } finally {
            stillInterrupted = Thread.interrupted();
        }
        assertTrue(cleaned, "the pass ran on the cleaner's own thread");
        assertTrue(stillInterrupted, "the caller keeps its interrupt");
        assertEquals(
                List.of("12:k0=v3", "13:k1=v3", "14:k2=v3", "15:k3=v3"),
                contents(IsolationLevel.READ_UNCOMMITTED),
                "fetches still work");
        append(keyed(1, "k0", "v4"));
        log.flush();
        assertFalse(log.isOffline(), "the writer's channel is open");
    }

    // ---- a cleaned segment that recovery leaves last stays rolled, so a second crash keeps its data -------

    @Test
    void aCleanedSegmentThatBecameTheActiveOneSurvivesASecondCrash() throws IOException {
        open(true, 0L);
        append(keyed(1, "a", "1"));
        append(keyed(1, "b", "1"));
        append(keyed(1, "a", "2"));
        append(keyed(1, "c", "1"));
        append(keyed(1, "b", "2"));
        append(keyed(1, "d", "1"));
        log.roll();
        append(keyed(1, "e", "1"));
        assertTrue(cleaner.cleanOnce());
        assertEquals(List.of("2:a=2", "3:c=1", "4:b=2", "5:d=1", "6:e=1"), contents(IsolationLevel.READ_UNCOMMITTED));
        log.flush();
        cleaner.stop();
        log.closeWithoutFlush();

        // Bit rot in the cleaned segment's last batch: recovery keeps the valid prefix, as designed.
        Path seg = logDir().resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        byte[] bytes = Files.readAllBytes(seg);
        bytes[bytes.length - 2] ^= 0x5a;
        Files.write(seg, bytes);
        open(false, 0L);
        assertEquals(
                List.of("2:a=2", "3:c=1", "4:b=2"),
                contents(IsolationLevel.READ_UNCOMMITTED),
                "the longest valid prefix");

        append(keyed(1, "f", "1"));
        log.flush(); // acknowledged and synced
        List<String> durable = contents(IsolationLevel.READ_UNCOMMITTED);
        cleaner.stop();
        log.closeWithoutFlush(); // a second crash
        open(false, 0L);
        assertEquals(durable, contents(IsolationLevel.READ_UNCOMMITTED), "synced records lost by the second recovery");
    }

    @Test
    void aSwapMakesOverlappingReadersRetry() {
        long[] during = {-1};
        hook = step -> {
            if (step == CleanerHook.Step.SWAP_COMMITTED) {
                during[0] = log.swapGeneration();
            }
        };
        open(true, 0L);
        for (int round = 0; round < 3; round++) {
            append(keyed(1, "k", "v" + round));
        }
        log.roll();
        long before = log.swapGeneration();
        assertFalse(log.swappedSince(before));

        assertTrue(cleaner.cleanOnce());

        assertEquals(1, during[0] % 2, "odd while the swap runs");
        assertTrue(log.swappedSince(before), "a read that began before the swap must retry");
        assertFalse(log.swappedSince(log.swapGeneration()));
    }

    @Test
    void aMarkerThatBumpedAProducersEpochStaysWhileNoDataBatchFollowsIt() {
        open(true, 0L);
        short epoch = 0;
        append(transactional(7, epoch, 0, 1, "a", "1"));
        append(marker(ControlRecordType.COMMIT, 7, epoch, 0, 1), AppendOrigin.COORDINATOR);
        // the coordinator aborts with a bumped epoch (a timeout): the producer's entry now has no data batch
        append(marker(ControlRecordType.ABORT, 7, (short) 1, 0, 1), AppendOrigin.COORDINATOR);
        append(keyed(1, "a", "2"));
        log.roll();
        assertTrue(log.producers().get(7L).batches().isEmpty());

        cleaner.cleanOnce();
        time.sleep(2000);
        append(keyed(1, "b", "1"));
        log.roll();
        cleaner.cleanOnce();

        List<RecordBatch> markers =
                batches().stream().filter(RecordBatch::isControl).toList();
        assertEquals(1, markers.size(), "only the epoch-1 marker stays: " + markers);
        assertEquals(1, markers.get(0).producerEpoch());
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
