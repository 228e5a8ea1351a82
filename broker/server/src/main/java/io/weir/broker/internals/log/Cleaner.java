package io.weir.broker.internals.log;

import io.weir.broker.LogConfig;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchFilter;
import io.weir.common.utils.Time;
import io.weir.transactions.BatchMetadata;
import io.weir.transactions.ProducerStateEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One cleaning pass over one log (Kafka's Cleaner). A pass
 * <ol>
 *   <li>builds the {@link OffsetMap} of every key's latest offset from the first dirty offset on, stopping
 *       early if the map fills (the rest waits for the next pass);</li>
 *   <li>groups the segments from the log start up to the map's end so that each group fits in one segment
 *       ({@code segment.bytes}, the index size, 32-bit relative offsets);</li>
 *   <li>rewrites each group into one cleaned segment and swaps it in ({@link Log#replaceSegments}).</li>
 * </ol>
 *
 * <p>What stays, batch by batch, in offset order:
 * <ul>
 *   <li>A record past the map's end stays. Below it, a record stays if no later record of its key is in the
 *       map; a record without a key goes; a tombstone goes once its batch's delete horizon has passed.</li>
 *   <li>Records of aborted transactions go (the transaction indexes say which).</li>
 *   <li>A transaction marker stays while any batch of its transaction stays, and until its delete horizon
 *       passes; the aborted-transaction index entry of an ABORT marker moves with it.</li>
 *   <li>The last data batch of each producer the partition's state knows stays, emptied if need be, so its
 *       sequence and epoch survive a rebuild of the producer state from the log.</li>
 *   <li>A kept batch that holds a tombstone, or a kept marker, without a delete horizon is stamped with one:
 *       now plus {@code delete.retention.ms} (KIP-534), so tombstones and markers last that long after the
 *       first pass that sees them.</li>
 * </ul>
 *
 * <p>Confined to one cleaner thread; the map and buffers are reused from pass to pass.
 */
final class Cleaner {
    private final OffsetMap map;
    private final RecordBatchFilter filter = new RecordBatchFilter();
    private final int maxBufferSize;
    private final Time time;
    private final CleanerHook hook;
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;
    /** The offset after the last batch written to the cleaned segment in progress. */
    private long lastWrittenNext;

    /** Thrown when the pass must stop because its log is being deleted or the cleaner is shutting down. */
    static final class CleaningAbortedException extends RuntimeException {
        CleaningAbortedException(String message) {
            super(message);
        }
    }

    /** What a pass did. */
    record PassResult(long nextDirtyOffset, List<DeletedSegment> retired, CleanerStats stats) {}

    /**
     * @param ioBufferSize  the read buffer's size, and the write buffer's; grown for a larger batch
     * @param maxBufferSize the largest batch the pass will read (bigger is taken as corruption)
     */
    Cleaner(OffsetMap map, int ioBufferSize, int maxBufferSize, Time time, CleanerHook hook) {
        this.map = map;
        this.maxBufferSize = maxBufferSize;
        this.time = time;
        this.hook = hook;
        this.readBuffer = ByteBuffer.allocate(ioBufferSize);
        this.writeBuffer = ByteBuffer.allocate(ioBufferSize);
    }

    /**
     * Cleans {@code range} of its log.
     *
     * @param stop checked between batches: true aborts the pass, leaving the log as it was
     * @throws CorruptRecordException a batch in the range is corrupt; nothing was changed
     * @throws IllegalStateException  the map cannot hold even the first dirty batch's keys
     */
    PassResult clean(CleanableRange range, BooleanSupplier stop) throws IOException {
        long startNanos = time.nanoseconds();
        CleanerStats stats = new CleanerStats();
        Log log = range.log();
        long mapEnd = buildOffsetMap(range, stop, stats);
        stats.mapEntries = map.size();
        stats.mapMemoryBytes = map.memoryInUse();

        List<LogSegment> toClean = new ArrayList<>();
        for (LogSegment segment : range.segments()) {
            if (segment.baseOffset < mapEnd) {
                toClean.add(segment);
            }
        }
        LogConfig config = log.config();
        long now = time.milliseconds();
        PassContext pass = new PassContext(mapEnd, now, config, producerTails(log), stats, stop);
        pass.txns =
                new TransactionTracker(log.abortedTransactions(range.logStartOffset(), range.firstUncleanableOffset()));
        List<DeletedSegment> retired = new ArrayList<>();
        try {
            for (Group group : group(toClean, range, config)) {
                List<DeletedSegment> done = cleanGroup(log, group, pass);
                if (done == null) {
                    throw new CleaningAbortedException(
                            "a segment of " + log.topicPartition() + " was removed while it was being cleaned");
                }
                retired.addAll(done);
            }
        } catch (IOException | RuntimeException e) {
            // The groups swapped before the stop or failure are in the log: their old segments are the deleter's.
            log.context().deleter().retire(retired);
            throw e;
        }
        hook.reached(CleanerHook.Step.PASS_DONE);
        stats.elapsedNanos = time.nanoseconds() - startNanos;
        return new PassResult(mapEnd, retired, stats);
    }

    // ---- pass 1: the offset map ----------------------------------------------------------------------------

    /** Fills the map from the first dirty offset; returns the offset the map covers up to. */
    private long buildOffsetMap(CleanableRange range, BooleanSupplier stop, CleanerStats stats) throws IOException {
        map.clear();
        long firstDirty = range.firstDirtyOffset();
        TransactionTracker txns =
                new TransactionTracker(range.log().abortedTransactions(firstDirty, range.firstUncleanableOffset()));
        RecordBatchFilter.RecordDecider remember = (offset, key, hasValue) -> {
            if (key != null) {
                map.put(key, offset);
            }
            return true;
        };
        List<LogSegment> segments = range.segments();
        for (int i = 0; i < segments.size(); i++) {
            long nextBase = i + 1 < segments.size() ? segments.get(i + 1).baseOffset : range.firstUncleanableOffset();
            if (nextBase <= firstDirty) {
                continue;
            }
            long[] stopAt = {-1L};
            scan(segments.get(i), stop, stats, batch -> {
                if (batch.lastOffset() < firstDirty) {
                    return true;
                }
                txns.advanceTo(batch.lastOffset());
                if (batch.isControl()) {
                    txns.onMarker(batch.producerId());
                    return true;
                }
                if (txns.isAborted(batch)) {
                    return true;
                }
                if (!map.hasRoomFor(batch.recordCount(), batch.lastOffset())) {
                    if (map.size() == 0) {
                        throw new IllegalStateException("The batch at offset " + batch.baseOffset() + " of "
                                + range.log().topicPartition() + " holds " + batch.recordCount() + " records but the"
                                + " cleaner's map holds only " + map.maxEntries()
                                + " keys; raise log.cleaner.dedupe.buffer.size");
                    }
                    stopAt[0] = batch.baseOffset();
                    return false;
                }
                filter.filter(batch, remember, true, -1L);
                return true;
            });
            if (stopAt[0] >= 0) {
                return stopAt[0];
            }
        }
        return range.firstUncleanableOffset();
    }

    // ---- pass 2: rewriting -----------------------------------------------------------------------------------

    /** Consecutive segments rewritten into one, and the base offset of the segment after them. */
    private record Group(List<LogSegment> segments, long end) {}

    private static List<Group> group(List<LogSegment> segments, CleanableRange range, LogConfig config) {
        List<Group> groups = new ArrayList<>();
        Map<LogSegment, Long> nextBases = new java.util.IdentityHashMap<>();
        List<LogSegment> all = range.segments();
        for (int i = 0; i < all.size(); i++) {
            nextBases.put(all.get(i), i + 1 < all.size() ? all.get(i + 1).baseOffset : range.firstUncleanableOffset());
        }
        int maxOffsetEntries = config.segmentIndexBytes() / OffsetIndex.ENTRY_SIZE;
        int maxTimeEntries = config.segmentIndexBytes() / TimeIndex.ENTRY_SIZE;
        int i = 0;
        while (i < segments.size()) {
            List<LogSegment> group = new ArrayList<>();
            long bytes = 0;
            long offsetEntries = 0;
            long timeEntries = 0;
            long base = segments.get(i).baseOffset;
            while (i < segments.size()) {
                LogSegment next = segments.get(i);
                long end = nextBases.get(next);
                boolean fits = group.isEmpty()
                        || (bytes + next.size() <= config.segmentBytes()
                                && offsetEntries + next.offsetIndexEntries() + 1 <= maxOffsetEntries
                                && timeEntries + next.timeIndexEntries() + 1 <= maxTimeEntries
                                && end - 1 - base <= Integer.MAX_VALUE);
                if (!fits) {
                    break;
                }
                group.add(next);
                bytes += next.size();
                offsetEntries += next.offsetIndexEntries() + 1;
                timeEntries += next.timeIndexEntries() + 1;
                i++;
            }
            groups.add(new Group(group, nextBases.get(group.get(group.size() - 1))));
        }
        return groups;
    }

    /** The state of one pass's rewrite, carried across its groups. */
    private static final class PassContext {
        final long mapEnd;
        final long now;
        final long horizonToStamp;
        final ProducerTails producers;
        final CleanerStats stats;
        final BooleanSupplier stop;
        TransactionTracker txns;
        boolean horizonPassed;

        PassContext(
                long mapEnd,
                long now,
                LogConfig config,
                ProducerTails producers,
                CleanerStats stats,
                BooleanSupplier stop) {
            this.mapEnd = mapEnd;
            this.now = now;
            long horizon = now + config.deleteRetentionMs();
            this.horizonToStamp = horizon < now ? Long.MAX_VALUE : horizon;
            this.producers = producers;
            this.stats = stats;
            this.stop = stop;
        }
    }

    /** Writes the group's cleaned segment and swaps it in; null if the log changed under the pass. */
    private List<DeletedSegment> cleanGroup(Log log, Group group, PassContext pass) throws IOException {
        long base = group.segments().get(0).baseOffset;
        LogSegment cleaned = LogSegment.createCleaned(
                log.dir(), base, log.config(), pass.now, log.context().channels());
        try {
            Set<Long> keptAbortMarkers = new HashSet<>();
            RecordBatchFilter.RecordDecider keepLatest = (offset, key, hasValue) -> retain(pass, offset, key, hasValue);
            RecordBatchFilter.RecordDecider keepAll = (offset, key, hasValue) -> true;
            RecordBatchFilter.RecordDecider dropAll = (offset, key, hasValue) -> false;
            hook.reached(CleanerHook.Step.GROUP_STARTED);
            writeBuffer.clear();
            lastWrittenNext = base;
            for (LogSegment segment : group.segments()) {
                scan(segment, pass.stop, pass.stats, batch -> {
                    if (RecordBatchFilter.isPlaceholder(batch)) {
                        return true; // an earlier pass's end marker; a new one goes at this group's end if needed
                    }
                    pass.txns.advanceTo(batch.lastOffset());
                    long producerId = batch.producerId();
                    pass.horizonPassed = batch.hasDeleteHorizon() && pass.now >= batch.deleteHorizonMs();
                    if (batch.isControl()) {
                        boolean dataKept = pass.txns.onMarker(producerId);
                        Short markerOnlyEpoch =
                                pass.producers.markerOnlyEpochs().get(producerId);
                        boolean producersLast = markerOnlyEpoch != null && markerOnlyEpoch == batch.producerEpoch();
                        if (!dataKept && !producersLast && pass.horizonPassed) {
                            return true; // its transaction left nothing behind, and readers had time to see it end
                        }
                        write(cleaned, batch, filter.filter(batch, keepAll, true, pass.horizonToStamp), pass.stats);
                        if (batch.controlType() == ControlRecordType.ABORT) {
                            keptAbortMarkers.add(batch.baseOffset());
                        }
                        return true;
                    }
                    boolean aborted = pass.txns.isAborted(batch);
                    Long last = pass.producers.lastDataOffsets().get(producerId);
                    boolean lastOfProducer = producerId >= 0 && last != null && last == batch.lastOffset();
                    RecordBatchFilter.Outcome outcome =
                            filter.filter(batch, aborted ? dropAll : keepLatest, lastOfProducer, pass.horizonToStamp);
                    if (batch.isTransactional()) {
                        pass.txns.onData(producerId, aborted, outcome != RecordBatchFilter.Outcome.DROPPED);
                    }
                    write(cleaned, batch, outcome, pass.stats);
                    return true;
                });
                for (AbortedTxn txn : segment.abortedTxns()) {
                    if (keptAbortMarkers.contains(txn.lastOffset())) {
                        cleaned.appendAbortedTxn(txn);
                    }
                }
            }
            if (lastWrittenNext < group.end()) {
                // The group's last batches all went: end the segment where the next one starts anyway.
                writeBytes(cleaned, RecordBatchFilter.placeholder(group.end() - 1), pass.stats);
            }
            flushWrites(cleaned);
            cleaned.flush();
            cleaned.close();
            hook.reached(CleanerHook.Step.CLEANED_WRITTEN);
            List<DeletedSegment> retired = log.replaceSegments(group.segments(), group.end(), hook);
            if (retired == null) {
                SegmentSwap.discardCleaned(log.dir(), base);
            }
            return retired;
        } catch (IOException | RuntimeException e) {
            // Once the swap is committed only recovery may touch the files; before, nothing refers to them.
            cleaned.closeWithoutFlush();
            if (!SegmentSwap.isCommitted(log.dir(), base)) {
                SegmentSwap.discardCleaned(log.dir(), base);
            }
            throw e;
        }
    }

    private boolean retain(PassContext pass, long offset, ByteBuffer key, boolean hasValue) {
        if (offset >= pass.mapEnd) {
            return true; // beyond what this pass's map knows: later keys may not be in it
        }
        if (key == null) {
            return false; // a compacted topic refuses keyless records; these predate compaction being turned on
        }
        if (map.get(key) > offset) {
            return false; // a later record of the key is kept
        }
        return hasValue || !pass.horizonPassed;
    }

    private void write(LogSegment cleaned, RecordBatch original, RecordBatchFilter.Outcome outcome, CleanerStats stats)
            throws IOException {
        ByteBuffer bytes;
        if (outcome == RecordBatchFilter.Outcome.DROPPED) {
            return;
        } else if (outcome == RecordBatchFilter.Outcome.UNCHANGED) {
            bytes = original.buffer();
            stats.recordsRetained += original.recordCount();
        } else {
            bytes = filter.filtered();
            stats.recordsRetained += filter.retainedRecords();
        }
        lastWrittenNext = original.nextOffset();
        writeBytes(cleaned, bytes, stats);
    }

    private void writeBytes(LogSegment cleaned, ByteBuffer bytes, CleanerStats stats) throws IOException {
        stats.bytesWritten += bytes.remaining();
        if (bytes.remaining() > writeBuffer.remaining()) {
            flushWrites(cleaned);
        }
        if (bytes.remaining() > writeBuffer.capacity()) {
            cleaned.appendBatches(bytes);
        } else {
            writeBuffer.put(bytes);
        }
    }

    private void flushWrites(LogSegment cleaned) throws IOException {
        writeBuffer.flip();
        if (writeBuffer.hasRemaining()) {
            cleaned.appendBatches(writeBuffer);
        }
        writeBuffer.clear();
    }

    // ---- reading -----------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface BatchVisitor {
        /** Returns false to stop the scan. */
        boolean visit(RecordBatch batch) throws IOException;
    }

    /**
     * Reads every batch of {@code segment} in order, each checked against its CRC and against the offsets before
     * it (the base offset lies outside the CRC, and a damaged one copied into a cleaned segment would pass every
     * later check).
     *
     * @throws CorruptSegmentException naming the segment file and the byte position of the first bad batch
     */
    private void scan(LogSegment segment, BooleanSupplier stop, CleanerStats stats, BatchVisitor visitor)
            throws IOException {
        int position = 0;
        int size = segment.size();
        long previousLast = segment.baseOffset - 1;
        while (position < size) {
            if (stop.getAsBoolean()) {
                throw new CleaningAbortedException("cleaning of " + segment + " was stopped");
            }
            readBuffer.clear();
            segment.readAt(position, readBuffer);
            readBuffer.flip();
            int consumed = 0;
            int needed = 0;
            while (readBuffer.limit() - consumed >= BatchHeader.SIZE) {
                int batchSize = BatchHeader.sizeInBytes(readBuffer, consumed);
                if (batchSize < BatchHeader.SIZE || batchSize > maxBufferSize) {
                    throw new CorruptSegmentException(
                            segment.logPath(),
                            position + consumed,
                            previousLast + 1,
                            "the batch declares " + batchSize + " bytes; the cleaner leaves this log alone");
                }
                if (consumed + batchSize > readBuffer.limit()) {
                    needed = batchSize;
                    break;
                }
                RecordBatch batch = RecordBatch.wrap(
                        readBuffer.duplicate().position(consumed).limit(consumed + batchSize));
                try {
                    batch.ensureValid();
                } catch (CorruptRecordException e) {
                    throw new CorruptSegmentException(
                            segment.logPath(),
                            position + consumed,
                            batch.baseOffset(),
                            e.getMessage() + "; the cleaner leaves this log alone",
                            e);
                }
                if (batch.baseOffset() <= previousLast || batch.lastOffset() < batch.baseOffset()) {
                    throw new CorruptSegmentException(
                            segment.logPath(),
                            position + consumed,
                            previousLast + 1,
                            "its offsets " + batch.baseOffset() + ".." + batch.lastOffset()
                                    + " do not follow the previous" + " batch's last offset " + previousLast
                                    + "; the cleaner leaves this log alone");
                }
                previousLast = batch.lastOffset();
                stats.batchesRead++;
                stats.recordsRead += batch.recordCount();
                stats.bytesRead += batchSize;
                consumed += batchSize;
                if (!visitor.visit(batch)) {
                    return;
                }
            }
            if (consumed == 0) {
                if (needed == 0 || (long) position + needed > size) {
                    throw new CorruptSegmentException(
                            segment.logPath(),
                            position,
                            previousLast + 1,
                            "the segment ends with " + readBuffer.limit()
                                    + " bytes that are not a whole batch; the cleaner leaves this log alone");
                }
                readBuffer = ByteBuffer.allocate(needed);
                writeBuffer = growWriteBuffer(needed);
                continue;
            }
            position += consumed;
        }
    }

    private ByteBuffer growWriteBuffer(int needed) {
        if (writeBuffer.capacity() >= needed) {
            return writeBuffer;
        }
        ByteBuffer bigger = ByteBuffer.allocate(needed);
        writeBuffer.flip();
        bigger.put(writeBuffer);
        return bigger;
    }

    /**
     * What each producer the partition's state holds needs kept: the last offset of its last data batch, or,
     * for a producer with no data batch cached (a marker bumped its epoch), its epoch, whose markers then stay
     * (Kafka's rule too), so a rebuild of the state from the log still fences the older epoch.
     */
    private static ProducerTails producerTails(Log log) {
        Map<Long, Long> last = new HashMap<>();
        Map<Long, Short> markerOnly = new HashMap<>();
        for (ProducerStateEntry entry : log.producers().values()) {
            List<BatchMetadata> batches = entry.batches();
            if (!batches.isEmpty()) {
                last.put(entry.producerId(), batches.get(batches.size() - 1).lastOffset());
            } else {
                markerOnly.put(entry.producerId(), entry.epoch());
            }
        }
        return new ProducerTails(last, markerOnly);
    }

    private record ProducerTails(Map<Long, Long> lastDataOffsets, Map<Long, Short> markerOnlyEpochs) {}

    /**
     * Follows transactions through a pass in offset order: which producers are inside an aborted transaction
     * (from the aborted-transaction indexes), and whether any batch of each open transaction was kept.
     */
    private static final class TransactionTracker {
        private final ArrayDeque<AbortedTxn> pending;
        private final Map<Long, boolean[]> aborted = new HashMap<>();
        private final Map<Long, boolean[]> committed = new HashMap<>();

        TransactionTracker(List<AbortedTxn> abortedTxns) {
            List<AbortedTxn> sorted = new ArrayList<>(abortedTxns);
            sorted.sort(Comparator.comparingLong(AbortedTxn::firstOffset));
            this.pending = new ArrayDeque<>(sorted);
        }

        /** Enters the aborted transactions that start at or before {@code offset}. */
        void advanceTo(long offset) {
            while (!pending.isEmpty() && pending.peekFirst().firstOffset() <= offset) {
                aborted.putIfAbsent(pending.pollFirst().producerId(), new boolean[1]);
            }
        }

        boolean isAborted(RecordBatch batch) {
            return batch.isTransactional() && aborted.containsKey(batch.producerId());
        }

        void onData(long producerId, boolean isAborted, boolean kept) {
            boolean[] anyKept = (isAborted ? aborted : committed).computeIfAbsent(producerId, id -> new boolean[1]);
            anyKept[0] |= kept;
        }

        /** The producer's transaction ends; returns whether any of its batches was kept. */
        boolean onMarker(long producerId) {
            boolean[] a = aborted.remove(producerId);
            boolean[] c = committed.remove(producerId);
            return (a != null && a[0]) || (c != null && c[0]);
        }
    }
}
