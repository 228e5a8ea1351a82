package io.weir.broker.internals.log;

import io.weir.broker.LogConfig;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.record.FileBatches;
import io.weir.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition: a {@code .log} file of record batches whose first offset is the segment's
 * base offset, with a sparse {@link OffsetIndex}, a {@link TimeIndex} and the {@link TransactionIndex} of the
 * transactions aborted by markers in it beside it, all named by the base offset zero-padded to 20 digits.
 *
 * <p>Threading: the partition's writer thread alone appends, truncates, recovers and flushes. Any thread may
 * {@link #read} and look up offsets or timestamps concurrently: reads use positioned {@code pread}s and are
 * bounded by a byte position the caller got from the writer's published high watermark, so a reader never
 * looks at bytes still being written.
 *
 * <p>Damage: every walk over batch headers checks each header before moving past it (a length that fits a
 * header and the file, magic 2, offsets after the previous batch's), so a damaged header costs at most the bytes
 * read so far, never a loop. Readers throw {@link CorruptSegmentException} naming the file and byte position;
 * the scans that run while opening stop there instead, and leave the cut to {@link #recover} or
 * {@link #checkTail}.
 */
final class LogSegment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String TXN_INDEX_SUFFIX = ".txnindex";
    static final String DELETED_SUFFIX = ".deleted";
    /** Appended to every file name of a segment the log cleaner is still writing (see {@link SegmentSwap}). */
    static final String CLEANED_SUFFIX = ".cleaned";

    static final List<String> FILE_SUFFIXES = List.of(LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX);

    final long baseOffset;
    private final int indexIntervalBytes;
    private Path logPath;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    /** Renames and deletes this segment's files (and opened them). */
    private final FileChannelFactory channels;

    /** Bytes in the log file; written by the writer, read by readers to bound scans. */
    private volatile int size;

    private int bytesSinceLastIndexEntry;
    /** Largest record timestamp in the segment, -1 when it has none; drives retention.ms and time lookups. */
    private volatile long maxTimestamp = -1L;
    /** When the segment was created, for segment.ms when its batches carry no timestamp. */
    private final long createdMs;
    /** The first batch's max timestamp, -1 until a batch with a timestamp is the first one written. */
    private volatile long rollBaseMs = -1L;
    /** Set by {@link #markDeleted}: the index files are gone and their paths may be reused. */
    private volatile boolean markedDeleted;
    /**
     * Set when an offset-index entry pointed at something other than the batch it names: reads then scan from
     * the start of the segment. Only a rebuild ({@link #recover}) trusts the index again.
     */
    private volatile boolean indexDistrusted;

    /** How consecutive batches' offsets relate in a segment: what reading it checks. */
    enum OffsetOrder {
        /** Each batch starts right after the previous one: a segment the log cleaner never rewrote. */
        CONTIGUOUS,
        /** Each batch starts after the previous one, perhaps past a gap the log cleaner left. */
        INCREASING
    }

    /**
     * What {@link #recover} cut from a segment, for the warning that tells an operator: the file, the byte
     * position of the cut and why, the bytes dropped, and the batches and offsets they held as far as their
     * headers could be followed ({@code lastOffset} is -1 when not even the first could).
     */
    record Cut(Path file, int position, String reason, long bytes, int batches, long firstOffset, long lastOffset) {}

    private LogSegment(
            Path dir,
            long baseOffset,
            LogConfig config,
            long nowMs,
            FileChannel channel,
            String suffix,
            FileChannelFactory channels) {
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.logPath = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix);
        this.channel = channel;
        this.offsetIndex = new OffsetIndex(
                dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + suffix),
                baseOffset,
                config.segmentIndexBytes(),
                channels);
        this.timeIndex = new TimeIndex(
                dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + suffix),
                baseOffset,
                config.segmentIndexBytes(),
                channels);
        this.txnIndex = new TransactionIndex(dir.resolve(fileName(baseOffset, TXN_INDEX_SUFFIX) + suffix), channels);
        this.channels = channels;
        this.createdMs = nowMs;
    }

    /** Creates an empty segment, its files opened through {@code channels}; fails if its log file already exists. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs, FileChannelFactory channels)
            throws IOException {
        return create(dir, baseOffset, config, nowMs, "", channels);
    }

    /**
     * Creates the empty segment the log cleaner writes into, its files named with {@link #CLEANED_SUFFIX};
     * any left by an earlier attempt are replaced.
     */
    static LogSegment createCleaned(
            Path dir, long baseOffset, LogConfig config, long nowMs, FileChannelFactory channels) throws IOException {
        for (String suffix : FILE_SUFFIXES) {
            LogFiles.delete(channels, dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX));
        }
        return create(dir, baseOffset, config, nowMs, CLEANED_SUFFIX, channels);
    }

    private static LogSegment create(
            Path dir, long baseOffset, LogConfig config, long nowMs, String suffix, FileChannelFactory channels)
            throws IOException {
        Path path = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix);
        FileChannel channel;
        try {
            channel = channels.open(
                    path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw FileWriteException.of(path, "create", e);
        }
        LogSegment segment = new LogSegment(dir, baseOffset, config, nowMs, channel, suffix, channels);
        // An index left behind by a segment that was deleted and recreated at the same offset is stale.
        LogFiles.delete(channels, segment.offsetIndex.path);
        LogFiles.delete(channels, segment.timeIndex.path);
        LogFiles.delete(channels, segment.txnIndex.path);
        segment.offsetIndex.load();
        segment.timeIndex.load();
        return segment;
    }

    /**
     * Opens an existing segment. Its indexes are trusted only if they pass a sanity check; otherwise they are
     * rebuilt from the log. Call {@link #recover} afterwards when the segment may hold torn writes.
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, FileChannelFactory channels)
            throws IOException {
        Path path = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = channels.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        LogSegment segment = new LogSegment(
                dir, baseOffset, config, Files.getLastModifiedTime(path).toMillis(), channel, "", channels);
        segment.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        segment.offsetIndex.load();
        segment.timeIndex.load();
        segment.txnIndex.load();
        ByteBuffer first = ByteBuffer.allocate(BatchHeader.SIZE);
        if (segment.size >= BatchHeader.SIZE && segment.readHeader(0, first)) {
            segment.rollBaseMs = BatchHeader.maxTimestamp(first, 0);
        }
        // After a crash the index file may have reached the disk ahead of the bytes it points at: those entries go
        // (recovery re-derives them), so the rest need not be rebuilt from the whole file.
        segment.offsetIndex.truncateToPosition(segment.size);
        if (!segment.offsetIndex.sanityCheck(segment.size) || !segment.timeIndex.sanityCheck(segment.size)) {
            segment.rebuildIndexes();
        } else {
            segment.maxTimestamp = segment.scanMaxTimestampFromLastIndexEntry();
        }
        return segment;
    }

    /**
     * Kafka's file name: the base offset in 20 zero-padded digits, then the suffix. Built by hand: String.format's
     * locale set-up and pattern parsing were a sixth of the main thread's samples in a cold broker open of 100
     * partitions (JFR, BrokerOpenBenchmark).
     */
    static String fileName(long baseOffset, String suffix) {
        String digits = Long.toString(baseOffset);
        StringBuilder name = new StringBuilder(20 + suffix.length());
        for (int i = digits.length(); i < 20; i++) {
            name.append('0');
        }
        return name.append(digits).append(suffix).toString();
    }

    int size() {
        return size;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /**
     * The time {@code segment.ms} is measured from: the first batch's max timestamp, as Kafka does, else the
     * time the segment was created (or, after a restart, last modified).
     */
    long rollingBaseTimestamp() {
        return rollBaseMs >= 0 ? rollBaseMs : createdMs;
    }

    boolean hasRollTimestamp() {
        return rollBaseMs >= 0;
    }

    long createdMs() {
        return createdMs;
    }

    boolean offsetIndexFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Entries in the offset index; the cleaner keeps a merged segment's index within its maximum size. */
    int offsetIndexEntries() {
        return offsetIndex.entries();
    }

    int timeIndexEntries() {
        return timeIndex.entries();
    }

    /** The transactions aborted by markers in this segment, oldest marker first. */
    List<AbortedTxn> abortedTxns() {
        return txnIndex.entries();
    }

    Path logPath() {
        return logPath;
    }

    // ---- writer side --------------------------------------------------------------------------------------

    /**
     * Appends batches whose offsets are already assigned. {@code lastOffset} is the last offset in them and
     * {@code batchMaxTimestamp} their largest timestamp. Writer thread only.
     */
    void append(ByteBuffer batches, long lastOffset, long batchMaxTimestamp) throws IOException {
        int position = size;
        int length = batches.remaining();
        long at = position;
        try {
            while (batches.hasRemaining()) {
                at += channel.write(batches, at);
            }
        } catch (IOException e) {
            throw FileWriteException.of(logPath, "append to", e);
        }
        trackBatch(position, length, lastOffset, batchMaxTimestamp);
        size = position + length;
    }

    /**
     * Appends whole batches with their offsets already assigned, indexing each one as if it had been appended
     * alone: how the log cleaner fills a cleaned segment. Cleaner thread only, before the segment is published.
     */
    void appendBatches(ByteBuffer batches) throws IOException {
        int position = size;
        int length = batches.remaining();
        int at = batches.position();
        int relative = 0;
        while (relative < length) {
            int batchSize = BatchHeader.sizeInBytes(batches, at + relative);
            trackBatch(
                    position + relative,
                    batchSize,
                    BatchHeader.lastOffset(batches, at + relative),
                    BatchHeader.maxTimestamp(batches, at + relative));
            relative += batchSize;
        }
        long written = position;
        try {
            while (batches.hasRemaining()) {
                written += channel.write(batches, written);
            }
        } catch (IOException e) {
            throw FileWriteException.of(logPath, "append to", e);
        }
        size = position + length;
    }

    /**
     * Reads bytes from {@code position} into {@code buffer} until it is full or the segment ends; returns
     * how many were read. The cleaner's sequential reader. Any thread.
     */
    int readAt(int position, ByteBuffer buffer) throws IOException {
        int start = buffer.position();
        int limit = size;
        long at = position;
        while (buffer.hasRemaining() && at < limit) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        return buffer.position() - start;
    }

    /**
     * Accounts for one batch at {@code position}, whether just written or found while scanning the file: an
     * index entry every {@code index.interval.bytes} (and for the first batch), the segment's running maximum
     * timestamp, and the roll base from the first batch. Writer thread only.
     */
    private void trackBatch(int position, int batchSize, long lastOffset, long batchMaxTimestamp) {
        if (position == 0) {
            rollBaseMs = batchMaxTimestamp;
        }
        long runningMax = Math.max(batchMaxTimestamp, maxTimestamp);
        if (bytesSinceLastIndexEntry > indexIntervalBytes || position == 0) {
            // The running maximum, so the last entry covers every batch up to this index point even when
            // this batch has no timestamp; a reopen then only scans batches after the last offset entry. Added
            // before the offset entry, so an offset entry counted by a flush has its time entry in memory already.
            if (runningMax >= 0) {
                timeIndex.maybeAppend(runningMax, lastOffset);
            }
            offsetIndex.append(lastOffset, position);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
        maxTimestamp = runningMax;
    }

    /** The first batch's max timestamp, -1 when it has none or the segment is empty: max.compaction.lag.ms's clock. */
    long firstBatchTimestamp() {
        return rollBaseMs;
    }

    /** Forgets every index entry and the derived timestamps, before re-deriving them from the file. */
    private void resetIndexState() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestamp = -1L;
    }

    /**
     * Syncs the log file, then writes and syncs the indexes.
     *
     * @throws FileWriteException naming the file whose write or sync failed
     */
    void flush() throws IOException {
        if (markedDeleted) {
            return; // retired by retention or a cleaner swap while a sync of rolled segments listed it
        }
        try {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw FileWriteException.of(logPath, "sync", e);
            }
            flushIndexes();
        } catch (IOException e) {
            if (markedDeleted) {
                // Retired under the sync (flushRolledSegments holds no log lock): markDeleted closed its transaction
                // index, or the deleter its files. Its records now live in a synced cleaned segment or are gone by
                // retention, so nothing the recovery point covers depends on this file: not a storage failure.
                return;
            }
            throw e;
        }
    }

    /**
     * Syncs the log file's data only ({@code fdatasync}): what a group commit of the active segment needs. Its
     * index entries stay in memory until the next full {@link #flush}, tail flush, roll or close, which is safe
     * because a recovery after a crash re-checks the segment holding the recovery point from an index entry on disk
     * below the point (an earlier one when the file lags) and rebuilds the entries above it. Any
     * thread; the writer may append meanwhile (those bytes may or may not be covered).
     *
     * @throws FileWriteException naming the file, when the sync failed
     */
    void syncData() throws IOException {
        if (markedDeleted) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            if (markedDeleted) {
                return; // retired under the sync: as in flush
            }
            throw FileWriteException.of(logPath, "sync", e);
        }
    }

    void flushIndexes() throws IOException {
        flushOffsetAndTimeIndexes();
        txnIndex.flush();
    }

    /**
     * Writes and syncs the time index, then the offset index only up to the entries counted before it: the time index
     * on disk then covers every offset entry on disk, which {@link #recoverAfter} relies on (it takes the running
     * maximum timestamp below its start from the time index), even after a crash or a failure between the two.
     */
    private void flushOffsetAndTimeIndexes() throws IOException {
        int offsetEntries = offsetIndex.entries();
        timeIndex.flush();
        offsetIndex.flush(offsetEntries);
    }

    /** Writes and syncs the aborted transactions indexed so far. Writer thread, or under the log's lock. */
    void flushTxnIndex() throws IOException {
        if (!markedDeleted) {
            txnIndex.flush();
        }
    }

    /**
     * Writes and syncs the offset and time index entries added so far, from a thread other than the writer's
     * while it appends ({@link Log#flushTail}); a recovery trusts an entry only below the recovery point, and
     * only if its batch checks ({@link #recoverAfter}). Does nothing once the segment is retired.
     */
    void flushOffsetIndexes() throws IOException {
        if (markedDeleted) {
            return;
        }
        try {
            flushOffsetAndTimeIndexes();
        } catch (IOException e) {
            if (!markedDeleted) {
                throw e;
            }
        }
    }

    /** Indexes a transaction aborted by a marker in this segment. Writer thread only. */
    void appendAbortedTxn(AbortedTxn txn) throws IOException {
        txnIndex.append(txn);
    }

    /** Forgets the indexed aborted transactions whose marker is at or after {@code offset}. Writer thread only. */
    void truncateTxnIndexTo(long offset) throws IOException {
        txnIndex.truncateTo(offset);
    }

    /** Aborted transactions of this segment overlapping {@code [fetchOffset, upperBoundOffset)}. Any thread. */
    TransactionIndex.SearchResult collectAbortedTxns(long fetchOffset, long upperBoundOffset) {
        return txnIndex.collect(fetchOffset, upperBoundOffset);
    }

    /**
     * Checks every batch from the start, rebuilding both indexes, and cuts the file at the first batch that
     * is torn, has a bad CRC or magic, or does not start at the offset after the previous batch (the first at
     * {@code expectedFirstOffset}). With {@code gapsAllowed} (a rolled segment, which the log cleaner may have
     * rewritten) a batch may start later than that, never earlier. Returns what was cut, or null when nothing
     * was. {@code maxBatchSize} bounds a believable batch length, so a corrupt length field cannot make recovery
     * read past the file or allocate absurdly. Writer thread only.
     */
    Cut recover(int maxBatchSize, long expectedFirstOffset, boolean gapsAllowed) throws IOException {
        return recover(maxBatchSize, expectedFirstOffset, gapsAllowed, Long.MAX_VALUE);
    }

    /**
     * As {@link #recover(int, long, boolean)}, also cutting at the first batch whose last offset is not below
     * {@code offsetLimit}, the next segment's base offset: a rolled segment's batches end before it begins.
     */
    Cut recover(int maxBatchSize, long expectedFirstOffset, boolean gapsAllowed, long offsetLimit) throws IOException {
        resetIndexState();
        indexDistrusted = false;
        return recoverFrom(0, expectedFirstOffset, maxBatchSize, gapsAllowed, offsetLimit);
    }

    /**
     * As {@link #recover(int, long, boolean, long)} after a crash whose recovery point {@code recoveryPoint} lies in
     * this segment, checking only from the last indexed batch wholly below it: everything below the recovery point
     * was synced before the point moved (see {@link Log}), so it is trusted as Kafka trusts the segments before
     * the one holding it. The start is the offset index's floor entry below the recovery point, used only if the
     * batch it points at checks (a believable header, the entry's last offset, the CRC): the index file is written
     * after the data it points at was synced only by a full flush, and may lag, lead or have been damaged, and any
     * entry that does not check sends the recovery back to the segment's start. Entries up to the start are kept;
     * those above it are rebuilt, with the time index, from the batches checked. Returns what was cut, or null.
     * Writer thread only.
     */
    Cut recoverAfter(long recoveryPoint, int maxBatchSize, boolean gapsAllowed, long offsetLimit) throws IOException {
        OffsetIndex.Entry entry = recoveryPoint > baseOffset ? offsetIndex.floorEntry(recoveryPoint - 1) : null;
        int startSize = entry == null ? -1 : trustedBatchSize(entry, maxBatchSize, gapsAllowed, offsetLimit);
        if (startSize < 0) {
            return recover(maxBatchSize, baseOffset, gapsAllowed, offsetLimit);
        }
        indexDistrusted = false;
        offsetIndex.truncateToOffset(entry.offset() + 1);
        timeIndex.truncateToOffset(entry.offset() + 1);
        // As after trackBatch indexed the entry's batch: the next entry comes index.interval.bytes after it. The time
        // index's last entry holds the running maximum up to its offset (see trackBatch).
        bytesSinceLastIndexEntry = startSize;
        maxTimestamp =
                Math.max(timeIndex.lastTimestamp(), scanMaxTimestamp(entry.position(), entry.position() + startSize));
        return recoverFrom(entry.position() + startSize, entry.offset() + 1, maxBatchSize, gapsAllowed, offsetLimit);
    }

    /** The size of the batch {@code entry} points at if it checks whole, CRC included; -1 otherwise. */
    private int trustedBatchSize(OffsetIndex.Entry entry, int maxBatchSize, boolean gapsAllowed, long offsetLimit)
            throws IOException {
        long fileSize = channel.size();
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        if (entry.position() + (long) BatchHeader.SIZE > fileSize || !readHeader(entry.position(), header)) {
            return -1;
        }
        OffsetOrder order = gapsAllowed ? OffsetOrder.INCREASING : OffsetOrder.CONTIGUOUS;
        int batchSize = BatchHeader.sizeInBytes(header, 0);
        if (headerProblem(header, 0, entry.position(), fileSize, -1L, order, offsetLimit) != null
                || batchSize > maxBatchSize
                || BatchHeader.lastOffset(header, 0) != entry.offset()) {
            return -1;
        }
        ByteBuffer batch = ByteBuffer.allocate(batchSize);
        readFully(batch, entry.position());
        batch.flip();
        return RecordBatch.wrap(batch).isValid() ? batchSize : -1;
    }

    /**
     * The scan of {@link #recover}: checks batches from byte {@code start}, where one starting at
     * {@code expectedFirstOffset} must begin, indexing each, and cuts the file at the first that fails.
     */
    private Cut recoverFrom(
            int start, long expectedFirstOffset, int maxBatchSize, boolean gapsAllowed, long offsetLimit)
            throws IOException {
        long fileSize = channel.size();
        int position = start;
        long expectedBase = expectedFirstOffset;
        OffsetOrder order = gapsAllowed ? OffsetOrder.INCREASING : OffsetOrder.CONTIGUOUS;
        String problem = null;
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        ByteBuffer batch = ByteBuffer.allocate(64 * 1024);
        // A batch that starts past a gap is indexed only once its successor is seen not to overlap it (see Gap).
        Gap gap = null;
        int gapSize = 0;
        long gapMaxTimestamp = -1L;
        while (position < fileSize) {
            if (position + BatchHeader.SIZE > fileSize || !readHeader(position, header)) {
                problem = "the last " + (fileSize - position) + " bytes are less than a batch header";
                break;
            }
            if (gap != null && gap.overlappedBy(header, 0, position, fileSize)) {
                problem = gap.problem(header, 0, position);
                position = gap.position();
                expectedBase = gap.expectedBase();
                gap = null;
                break;
            }
            // The base offset lies outside the CRC, so a damaged one is caught only by its order. In a cleaned
            // segment it is caught when it breaks the order, or when the segment then fails to end where the
            // next one starts.
            problem = headerProblem(header, 0, position, fileSize, expectedBase, order, offsetLimit);
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            if (problem == null && batchSize > maxBatchSize) {
                problem = "its length field says " + batchSize + " bytes, more than the largest batch the log takes ("
                        + maxBatchSize + ")";
            }
            if (problem != null) {
                break;
            }
            if (batch.capacity() < batchSize) {
                batch = ByteBuffer.allocate(Math.max(batchSize, batch.capacity() * 2));
            }
            batch.clear().limit(batchSize);
            readFully(batch, position);
            batch.flip();
            RecordBatch view = RecordBatch.wrap(batch);
            try {
                view.ensureValid();
            } catch (CorruptRecordException e) {
                problem = e.getMessage();
                break;
            }
            long lastOffset = view.lastOffset();
            if (gap != null) {
                trackBatch(gap.position(), gapSize, gap.last(), gapMaxTimestamp);
            }
            gap = gapsAllowed ? Gap.of(header, 0, position, expectedBase) : null;
            if (gap != null) {
                gapSize = batchSize;
                gapMaxTimestamp = view.maxTimestamp();
            } else {
                trackBatch(position, batchSize, lastOffset, view.maxTimestamp());
            }
            expectedBase = lastOffset + 1;
            position += batchSize;
        }
        if (gap != null) {
            // Its successor is missing or damaged in another way; offsetLimit bounds what it may hold.
            trackBatch(gap.position(), gapSize, gap.last(), gapMaxTimestamp);
        }
        Cut cut = null;
        if (position < fileSize) {
            cut = describeCut(position, fileSize, expectedBase, problem);
            channel.truncate(position);
        }
        size = position;
        txnIndex.truncateTo(expectedBase);
        return cut;
    }

    /**
     * After a clean shutdown: checks the batches from the last offset-index entry to the end of the file (whole,
     * magic 2, CRC, offsets continuing from the entry's), which costs at most {@code index.interval.bytes} and a
     * batch. When any of it does not check, the index itself may be what is wrong, so the whole segment is
     * recovered as after a crash. Returns what was cut, or null. The active segment only; writer thread only.
     */
    Cut checkTail(int maxBatchSize) throws IOException {
        if (tailChecks(offsetIndex.floorEntry(Long.MAX_VALUE), maxBatchSize)) {
            return null;
        }
        return recover(maxBatchSize, baseOffset, false);
    }

    private boolean tailChecks(OffsetIndex.Entry last, int maxBatchSize) throws IOException {
        long fileSize = channel.size();
        int position = last == null ? 0 : last.position();
        // The batch the entry points at must end at the entry's offset; what came before it is not looked at.
        long expectedBase = last == null ? baseOffset : -1L;
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        while (position < fileSize) {
            if (position + BatchHeader.SIZE > fileSize
                    || !readHeader(position, header)
                    || headerProblem(
                                    header, 0, position, fileSize, expectedBase, OffsetOrder.CONTIGUOUS, Long.MAX_VALUE)
                            != null) {
                return false;
            }
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            long lastOffset = BatchHeader.lastOffset(header, 0);
            if (batchSize > maxBatchSize || (expectedBase < 0 && lastOffset != last.offset())) {
                return false;
            }
            ByteBuffer batch = ByteBuffer.allocate(batchSize);
            readFully(batch, position);
            batch.flip();
            if (!RecordBatch.wrap(batch).isValid()) {
                return false;
            }
            expectedBase = lastOffset + 1;
            position += batchSize;
        }
        return true;
    }

    /** Describes the whole segment as {@link #recover} describes a cut, for recovery dropping all of it. */
    Cut describeWhole(String reason) throws IOException {
        return describeCut(0, channel.size(), baseOffset, reason);
    }

    /**
     * Describes the bytes from {@code position} to {@code fileSize} that recovery is about to cut: how many
     * batches they hold and which offsets, following headers as long as they look like batches. A batch whose
     * base offset is not believable is counted from where it should have started.
     */
    private Cut describeCut(int position, long fileSize, long firstLost, String reason) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        int batches = 0;
        long next = firstLost;
        long last = -1L;
        long at = position;
        while (at + BatchHeader.SIZE <= fileSize && readHeader(at, header)) {
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            int delta = BatchHeader.lastOffsetDelta(header, 0);
            if (batchSize < BatchHeader.SIZE
                    || at + batchSize > fileSize
                    || BatchHeader.magic(header, 0) != RecordBatch.MAGIC
                    || delta < 0) {
                break;
            }
            long base = BatchHeader.baseOffset(header, 0);
            if (base < next || base - next > Integer.MAX_VALUE) {
                base = next;
            }
            last = base + delta;
            next = last + 1;
            batches++;
            at += batchSize;
        }
        return new Cut(logPath, position, reason, fileSize - position, batches, firstLost, last);
    }

    /**
     * What is wrong with the batch header at {@code at} in {@code b}, read from byte {@code position} of this
     * segment whose batches end at byte {@code limit}, or null when nothing is. The batch must start at
     * {@code expectedBase} ({@link OffsetOrder#CONTIGUOUS}) or after it ({@link OffsetOrder#INCREASING});
     * {@code expectedBase < 0} means the previous batch is unknown. Its last offset must lie below
     * {@code offsetLimit}, where the next segment or the published offsets begin.
     */
    private static String headerProblem(
            ByteBuffer b, int at, long position, long limit, long expectedBase, OffsetOrder order, long offsetLimit) {
        int batchSize = BatchHeader.sizeInBytes(b, at);
        if (batchSize < BatchHeader.SIZE) {
            return "its length field says " + batchSize + " bytes, less than a batch header";
        }
        if (position + batchSize > limit) {
            return "its length field says " + batchSize + " bytes but only " + (limit - position) + " follow";
        }
        if (BatchHeader.magic(b, at) != RecordBatch.MAGIC) {
            return "magic " + BatchHeader.magic(b, at) + ", expected " + RecordBatch.MAGIC;
        }
        long base = BatchHeader.baseOffset(b, at);
        int delta = BatchHeader.lastOffsetDelta(b, at);
        if (base < 0 || delta < 0) {
            return "base offset " + base + " and last offset delta " + delta + " cannot both be right";
        }
        if (expectedBase >= 0 && (order == OffsetOrder.CONTIGUOUS ? base != expectedBase : base < expectedBase)) {
            return "its base offset " + base + " does not continue where the previous batch ended (" + expectedBase
                    + ")";
        }
        if (base + delta >= offsetLimit) {
            return "its last offset " + (base + delta) + " is not below " + offsetLimit
                    + ", where the next segment or the unpublished offsets begin";
        }
        return null;
    }

    /** Removes every batch at or after {@code offset}; returns the bytes removed. Writer thread only. */
    int truncateTo(long offset) throws IOException {
        int position = positionOf(offset, size);
        if (position < 0 || position >= size) {
            return 0;
        }
        int removed = size - position;
        channel.truncate(position);
        size = position;
        offsetIndex.truncateToOffset(offset);
        timeIndex.truncateToOffset(offset);
        txnIndex.truncateTo(offset);
        bytesSinceLastIndexEntry = 0;
        maxTimestamp = scanMaxTimestamp(0);
        return removed;
    }

    private void rebuildIndexes() throws IOException {
        resetIndexState();
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = 0;
        while (position + BatchHeader.SIZE <= size && readHeader(position, header)) {
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            if (batchSize < BatchHeader.SIZE || position + (long) batchSize > size) {
                break;
            }
            trackBatch(position, batchSize, BatchHeader.lastOffset(header, 0), BatchHeader.maxTimestamp(header, 0));
            position += batchSize;
        }
    }

    // ---- reader side --------------------------------------------------------------------------------------

    /**
     * Batches read from a segment, the offset just past the last of them, and the byte position in the file of
     * the first, so a caller that decodes them can say where a bad one lies. {@code onDisk} is set, and
     * {@code batches} empty, when they were left in the file ({@link ReadMode#FILE_SLICE}).
     */
    record ReadResult(ByteBuffer batches, long nextOffset, int position, FileBatches onDisk) {
        ReadResult(ByteBuffer batches, long nextOffset, int position) {
            this(batches, nextOffset, position, null);
        }
    }

    /** {@link #read(long, int, int, boolean, OffsetOrder, long, ReadMode, ReadBuffers)} into a fresh heap buffer. */
    ReadResult read(
            long startOffset, int maxBytes, int maxPosition, boolean minOneBatch, OffsetOrder order, long offsetLimit)
            throws IOException {
        return read(
                startOffset, maxBytes, maxPosition, minOneBatch, order, offsetLimit, ReadMode.COPY, ReadBuffers.HEAP);
    }

    /**
     * Reads whole batches starting with the one that holds {@code startOffset} (or the first after it, in a
     * log with gaps), at most {@code maxBytes} of them and none at or past byte {@code maxPosition}. With
     * {@code minOneBatch} the first batch is returned whole even when it exceeds {@code maxBytes}, so a
     * large batch cannot stall a reader. Returns null when no batch at or after the offset lies below
     * {@code maxPosition}.
     *
     * <p>Every header on the way is checked: whole, magic 2, offsets in {@code order} after the previous batch's
     * and below {@code offsetLimit}. Bytes that fail after good batches end the result there; the next read,
     * starting at them, throws.
     *
     * <p>With {@link ReadMode#FILE_SLICE} the batches are not read: their headers are, one at a time, with the same
     * checks, and the result names the bytes in this segment's file ({@link ReadResult#onDisk}).
     *
     * @throws CorruptSegmentException naming this file and the byte position of the first batch that fails
     */
    ReadResult read(
            long startOffset,
            int maxBytes,
            int maxPosition,
            boolean minOneBatch,
            OffsetOrder order,
            long offsetLimit,
            ReadMode mode,
            ReadBuffers buffers)
            throws IOException {
        Located at = locate(startOffset, maxPosition, order, offsetLimit);
        int position = at.position();
        if (position >= maxPosition) {
            return null;
        }
        int available = maxPosition - position;
        int want = Math.min(available, Math.max(maxBytes, 0));
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        if (!readHeader(position, header)) {
            return null;
        }
        int firstSize = BatchHeader.sizeInBytes(header, 0);
        if (firstSize > want) {
            if (!minOneBatch) {
                return new ReadResult(ByteBuffer.allocate(0), BatchHeader.baseOffset(header, 0), position);
            }
            want = firstSize;
        }
        ByteBuffer buffer;
        if (mode == ReadMode.COPY) {
            buffer = buffers.allocate(want);
            readFully(buffer, position);
            buffer.flip();
        } else {
            buffer = null; // each header is read into `header` below
        }
        // Keep whole, checked batches only; the last one may have been cut by the byte limit.
        int end = 0;
        long next = startOffset;
        long expectedBase = at.expectedBase();
        Gap gap = null;
        long nextBeforeGap = startOffset;
        while (end + BatchHeader.SIZE <= want) {
            // The header of the batch at `end`: in the bytes read, or read from the file on its own (the first is
            // in `header` already).
            ByteBuffer h = buffer;
            int i = end;
            if (buffer == null) {
                if (end > 0 && !readHeader(position + end, header)) {
                    break; // the file is shorter than its published size said: only a truncation does that
                }
                h = header;
                i = 0;
            }
            int batchSize = BatchHeader.sizeInBytes(h, i);
            String problem = null;
            if (gap != null && gap.overlappedBy(h, i, position + end, maxPosition)) {
                problem = gap.problem(h, i, position + end);
            } else if (batchSize >= BatchHeader.SIZE
                    && end + batchSize > want
                    && position + (long) end + batchSize <= maxPosition) {
                break; // cut by maxBytes: the next read returns it whole
            } else {
                problem = headerProblem(h, i, position + end, maxPosition, expectedBase, order, offsetLimit);
            }
            if (problem != null) {
                int blamed = gap != null && gap.overlappedBy(h, i, position + end, maxPosition)
                        ? gap.position() - position
                        : end;
                if (blamed == 0) {
                    throw new CorruptSegmentException(logPath, position, startOffset, problem);
                }
                if (blamed < end) {
                    end = blamed;
                    next = nextBeforeGap;
                }
                gap = null;
                break;
            }
            Gap started = Gap.of(h, i, position + end, expectedBase);
            if (started != null) {
                gap = started;
                nextBeforeGap = next;
            } else {
                gap = null;
            }
            next = BatchHeader.lastOffset(h, i) + 1;
            expectedBase = next;
            end += batchSize;
        }
        if (gap != null && position + end + BatchHeader.SIZE <= maxPosition) {
            // The last batch kept starts past a gap and its successor is not in the buffer: look at its header.
            ByteBuffer successor = ByteBuffer.allocate(BatchHeader.SIZE);
            if (readHeader(position + end, successor) && gap.overlappedBy(successor, 0, position + end, maxPosition)) {
                if (gap.position() == position) {
                    throw new CorruptSegmentException(
                            logPath, position, startOffset, gap.problem(successor, 0, position + end));
                }
                end = gap.position() - position;
                next = nextBeforeGap;
            }
        }
        if (buffer == null) {
            return new ReadResult(
                    ByteBuffer.allocate(0), next, position, new FileBatches(channel, logPath, position, end, next));
        }
        buffer.limit(end);
        return new ReadResult(buffer, next, position);
    }

    /** Where a read starts: a batch position and the offset the batch there must start at (-1: not known). */
    private record Located(int position, long expectedBase) {}

    /**
     * The byte position of the first batch whose last offset is at or after {@code offset}, scanning headers
     * forward from the index's hint; {@code limit} when every batch below {@code limit} ends before it.
     *
     * @throws CorruptSegmentException when a header on the way does not check (see {@link #read})
     */
    int positionOf(long offset, int limit) throws IOException {
        return locate(offset, limit, OffsetOrder.INCREASING, Long.MAX_VALUE).position();
    }

    private Located locate(long offset, int limit, OffsetOrder order, long offsetLimit) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = 0;
        long expectedBase = baseOffset;
        boolean headerRead = false;
        OffsetIndex.Entry entry = indexDistrusted ? null : offsetIndex.floorEntry(offset);
        if (entry != null && entry.position() > 0 && entry.position() + BatchHeader.SIZE <= limit) {
            if (readHeader(entry.position(), header)
                    && headerProblem(header, 0, entry.position(), limit, -1L, order, offsetLimit) == null
                    && BatchHeader.lastOffset(header, 0) == entry.offset()) {
                position = entry.position();
                expectedBase = -1L; // the entry vouches for this batch; the one before it is not read
                headerRead = true;
            } else {
                distrustIndex(entry);
            }
        }
        Gap gap = null;
        while (position < limit) {
            if (!headerRead && (position + BatchHeader.SIZE > limit || !readHeader(position, header))) {
                throw new CorruptSegmentException(
                        logPath,
                        position,
                        offset,
                        "the " + (limit - position) + " bytes before byte " + limit + " are less than a batch header");
            }
            headerRead = false;
            String problem = headerProblem(header, 0, position, limit, expectedBase, order, offsetLimit);
            if (problem != null) {
                if (gap != null && gap.overlappedBy(header, 0, position, limit)) {
                    throw new CorruptSegmentException(
                            logPath, gap.position(), offset, gap.problem(header, 0, position));
                }
                throw new CorruptSegmentException(logPath, position, offset, problem);
            }
            long last = BatchHeader.lastOffset(header, 0);
            if (last >= offset) {
                return new Located(position, expectedBase);
            }
            gap = Gap.of(header, 0, position, expectedBase);
            expectedBase = last + 1;
            position += BatchHeader.sizeInBytes(header, 0);
        }
        return new Located(limit, expectedBase);
    }

    /**
     * A batch that starts past the offset after its predecessor: a gap the log cleaner left, or a base offset
     * damaged upwards (it lies outside the CRC). In a log without gaps the batch then overlaps its successor, so
     * a batch that starts past a gap is trusted only once its successor is seen to start after it (or the segment
     * ends, and with it the offsets it may hold).
     */
    private record Gap(int position, long base, long expectedBase, long last) {
        /** The gap the batch header at {@code at} starts past, or null when it starts where expected. */
        static Gap of(ByteBuffer b, int at, int position, long expectedBase) {
            long base = BatchHeader.baseOffset(b, at);
            return expectedBase >= 0 && base > expectedBase
                    ? new Gap(position, base, expectedBase, BatchHeader.lastOffset(b, at))
                    : null;
        }

        /** Whether the believable batch header at {@code at}, at byte {@code successor}, starts inside this batch. */
        boolean overlappedBy(ByteBuffer b, int at, long successor, long limit) {
            return headerProblem(b, at, successor, limit, -1L, OffsetOrder.INCREASING, Long.MAX_VALUE) == null
                    && BatchHeader.baseOffset(b, at) <= last;
        }

        String problem(ByteBuffer b, int at, long successor) {
            return "its base offset " + base + " leaves a gap after " + (expectedBase - 1) + " but its offsets, up to "
                    + last + ", overlap the batch at byte " + successor + ", which starts at "
                    + BatchHeader.baseOffset(b, at)
                    + ": its base offset is damaged";
        }
    }

    private void distrustIndex(OffsetIndex.Entry entry) {
        if (!indexDistrusted) {
            indexDistrusted = true;
            LOG.warn("The entry of " + offsetIndex.path + " for offset " + entry.offset()
                    + " points at byte " + entry.position() + " of " + logPath + ", where no batch ends at that offset;"
                    + " reads scan the segment from its start until recovery rebuilds the index");
        }
    }

    /**
     * Offset and timestamp of the first record at or after {@code startOffset} (the log start: records below it are
     * deleted) whose timestamp is at or after {@code timestamp}, or null.
     */
    long[] findOffsetByTimestamp(long timestamp, long startOffset, int limit) throws IOException {
        long fromOffset = Math.max(timeIndex.lookup(timestamp), startOffset);
        int position = positionOf(fromOffset, limit);
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        while (position + BatchHeader.SIZE <= limit && readHeader(position, header)) {
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            if (batchSize < BatchHeader.SIZE || position + (long) batchSize > limit) {
                throw new CorruptSegmentException(
                        logPath,
                        position,
                        fromOffset,
                        "its length field says " + batchSize + " bytes but " + (limit - position)
                                + " follow, and a batch header takes " + BatchHeader.SIZE);
            }
            if (BatchHeader.maxTimestamp(header, 0) >= timestamp && BatchHeader.lastOffset(header, 0) >= startOffset) {
                ByteBuffer batch = ByteBuffer.allocate(batchSize);
                readFully(batch, position);
                batch.flip();
                for (var it = RecordBatch.wrap(batch).records(); it.hasNext(); ) {
                    var record = it.next();
                    if (record.offset() >= startOffset && record.timestamp() >= timestamp) {
                        return new long[] {record.offset(), record.timestamp()};
                    }
                }
            }
            position += batchSize;
        }
        return null;
    }

    /** The offset after the last batch, found by scanning from the last index entry. */
    long readNextOffset() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = offsetIndex.entries() == 0 ? 0 : offsetIndex.lookup(Long.MAX_VALUE);
        long next = baseOffset;
        while (position + BatchHeader.SIZE <= size && readHeader(position, header)) {
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            if (batchSize < BatchHeader.SIZE || position + (long) batchSize > size) {
                break; // only after a clean shutdown of a rolled segment, which is not checked at open
            }
            next = BatchHeader.lastOffset(header, 0) + 1;
            position += batchSize;
        }
        return next;
    }

    private long scanMaxTimestampFromLastIndexEntry() throws IOException {
        long indexed = timeIndex.lastTimestamp();
        int from = offsetIndex.entries() == 0 ? 0 : offsetIndex.lookup(Long.MAX_VALUE);
        return Math.max(indexed, scanMaxTimestamp(from));
    }

    private long scanMaxTimestamp(int fromPosition) throws IOException {
        return scanMaxTimestamp(fromPosition, size);
    }

    /** The largest batch max-timestamp among batches wholly below byte {@code limit}. */
    long scanMaxTimestamp(int fromPosition, int limit) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        long max = -1L;
        int position = fromPosition;
        while (position + BatchHeader.SIZE <= limit && readHeader(position, header)) {
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            if (batchSize < BatchHeader.SIZE || position + (long) batchSize > limit) {
                break; // bytes that are no batch end the scan; recovery cuts them, a read reports them
            }
            max = Math.max(max, BatchHeader.maxTimestamp(header, 0));
            position += batchSize;
        }
        return max;
    }

    private boolean readHeader(long position, ByteBuffer header) throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            int n = channel.read(header, position + header.position());
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("Unexpected end of " + logPath + " at byte " + at);
            }
            at += n;
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    @Override
    public void close() throws IOException {
        // Each file is closed even when an earlier one's final write or sync failed (the directory then goes
        // offline, and the caller closes the other segments without syncing).
        try {
            try {
                // The time index first, and the offset index written only if it was: see flushOffsetAndTimeIndexes.
                boolean timeIndexWritten = false;
                try {
                    timeIndex.close();
                    timeIndexWritten = true;
                } finally {
                    if (timeIndexWritten) {
                        offsetIndex.close();
                    } else {
                        offsetIndex.closeWithoutFlush();
                    }
                }
            } finally {
                txnIndex.close();
            }
        } finally {
            channel.close();
        }
    }

    /**
     * Renames the files to {@code *.deleted} so a reader holding the segment can finish while a later step
     * removes them; a restart deletes any {@code .deleted} file it finds.
     */
    void markDeleted() throws IOException {
        Path target = logPath.resolveSibling(logPath.getFileName() + DELETED_SUFFIX);
        // A segment retired earlier at the same base (a cleaned segment cleaned again within file.delete.delay.ms)
        // may still be waiting under that name: keep both, so each deletion removes its own file.
        for (int n = 1; Files.exists(target); n++) {
            target = logPath.resolveSibling(logPath.getFileName() + "." + n + DELETED_SUFFIX);
        }
        LogFiles.rename(channels, logPath, target);
        logPath = target;
        // From here the index paths may name a cleaned segment that took this one's base offset.
        markedDeleted = true;
        LogFiles.delete(channels, offsetIndex.path);
        LogFiles.delete(channels, timeIndex.path);
        // Readers in flight keep the aborted transactions they need from the index's memory.
        txnIndex.delete();
    }

    /** Closes the files leaving index entries not yet written out, as a crash would. */
    void closeWithoutFlush() throws IOException {
        offsetIndex.closeWithoutFlush();
        timeIndex.closeWithoutFlush();
        txnIndex.closeWithoutFlush();
        channel.close();
    }

    /** Closes the files and removes them. */
    void deleteNow() throws IOException {
        offsetIndex.closeWithoutFlush();
        timeIndex.closeWithoutFlush();
        txnIndex.closeWithoutFlush();
        channel.close();
        LogFiles.delete(channels, logPath);
        if (!markedDeleted) {
            LogFiles.delete(channels, offsetIndex.path);
            LogFiles.delete(channels, timeIndex.path);
            LogFiles.delete(channels, txnIndex.path);
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logPath + ", size=" + size + ")";
    }
}
