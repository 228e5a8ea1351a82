package io.weir.broker.internals.log;

import io.weir.broker.LogConfig;
import io.weir.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One segment of a partition: a {@code .log} file of record batches whose first offset is the segment's
 * base offset, with a sparse {@link OffsetIndex}, a {@link TimeIndex} and the {@link TransactionIndex} of the
 * transactions aborted by markers in it beside it, all named by the base offset zero-padded to 20 digits.
 *
 * <p>Threading: the partition's writer thread alone appends, truncates, recovers and flushes. Any thread may
 * {@link #read} and look up offsets or timestamps concurrently: reads use positioned {@code pread}s and are
 * bounded by a byte position the caller got from the writer's published high watermark, so a reader never
 * looks at bytes still being written.
 */
final class LogSegment implements AutoCloseable {
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

    private LogSegment(Path dir, long baseOffset, LogConfig config, long nowMs, FileChannel channel, String suffix,
                       FileChannelFactory channels) {
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.logPath = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix);
        this.channel = channel;
        this.offsetIndex = new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + suffix), baseOffset,
                config.segmentIndexBytes(), channels);
        this.timeIndex = new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + suffix), baseOffset,
                config.segmentIndexBytes(), channels);
        this.txnIndex = new TransactionIndex(dir.resolve(fileName(baseOffset, TXN_INDEX_SUFFIX) + suffix), channels);
        this.channels = channels;
        this.createdMs = nowMs;
    }

    /** Creates an empty segment, its files opened through {@code channels}; fails if its log file already exists. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs, FileChannelFactory channels) throws IOException {
        return create(dir, baseOffset, config, nowMs, "", channels);
    }

    /**
     * Creates the empty segment the log cleaner writes into, its files named with {@link #CLEANED_SUFFIX};
     * any left by an earlier attempt are replaced.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, long nowMs, FileChannelFactory channels)
            throws IOException {
        for (String suffix : FILE_SUFFIXES) {
            LogFiles.delete(channels, dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX));
        }
        return create(dir, baseOffset, config, nowMs, CLEANED_SUFFIX, channels);
    }

    private static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs, String suffix,
                                     FileChannelFactory channels) throws IOException {
        Path path = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix);
        FileChannel channel;
        try {
            channel = channels.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
    static LogSegment open(Path dir, long baseOffset, LogConfig config, FileChannelFactory channels) throws IOException {
        Path path = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = channels.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        LogSegment segment = new LogSegment(dir, baseOffset, config, Files.getLastModifiedTime(path).toMillis(), channel, "",
                channels);
        segment.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        segment.offsetIndex.load();
        segment.timeIndex.load();
        segment.txnIndex.load();
        ByteBuffer first = ByteBuffer.allocate(BatchHeader.SIZE);
        if (segment.size >= BatchHeader.SIZE && segment.readHeader(0, first)) {
            segment.rollBaseMs = BatchHeader.maxTimestamp(first, 0);
        }
        if (!segment.offsetIndex.sanityCheck(segment.size) || !segment.timeIndex.sanityCheck(segment.size)) {
            segment.rebuildIndexes();
        } else {
            segment.maxTimestamp = segment.scanMaxTimestampFromLastIndexEntry();
        }
        return segment;
    }

    static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
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
            trackBatch(position + relative, batchSize, BatchHeader.lastOffset(batches, at + relative),
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
            offsetIndex.append(lastOffset, position);
            // The running maximum, so the last entry covers every batch up to this index point even when
            // this batch has no timestamp; a reopen then only scans batches after the last offset entry.
            if (runningMax >= 0) {
                timeIndex.maybeAppend(runningMax, lastOffset);
            }
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

    void flushIndexes() throws IOException {
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
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
     * rewritten) a batch may start later than that, never earlier. Returns the number of bytes cut.
     * {@code maxBatchSize} bounds a believable batch length, so a corrupt length field cannot make recovery
     * read past the file or allocate absurdly. Writer thread only.
     */
    int recover(int maxBatchSize, long expectedFirstOffset, boolean gapsAllowed) throws IOException {
        resetIndexState();
        long fileSize = channel.size();
        int position = 0;
        long expectedBase = expectedFirstOffset;
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        ByteBuffer batch = ByteBuffer.allocate(64 * 1024);
        while (position + BatchHeader.SIZE <= fileSize) {
            if (!readHeader(position, header)) {
                break;
            }
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            long batchBase = BatchHeader.baseOffset(header, 0);
            if (batchSize < BatchHeader.SIZE || batchSize > maxBatchSize || position + (long) batchSize > fileSize
                    || BatchHeader.magic(header, 0) != RecordBatch.MAGIC || batchBase < expectedBase
                    || (batchBase != expectedBase && !gapsAllowed)) {
                // The base offset lies outside the CRC, so a damaged one is caught only here. In a cleaned
                // segment it is caught when it breaks the order, or when the segment then fails to end where
                // the next one starts.
                break;
            }
            if (batch.capacity() < batchSize) {
                batch = ByteBuffer.allocate(Math.max(batchSize, batch.capacity() * 2));
            }
            batch.clear().limit(batchSize);
            readFully(batch, position);
            batch.flip();
            RecordBatch view = RecordBatch.wrap(batch);
            if (!view.isValid() || view.lastOffset() < batchBase) {
                break;
            }
            long lastOffset = view.lastOffset();
            trackBatch(position, batchSize, lastOffset, view.maxTimestamp());
            expectedBase = lastOffset + 1;
            position += batchSize;
        }
        int truncated = (int) (fileSize - position);
        if (truncated > 0) {
            channel.truncate(position);
        }
        size = position;
        txnIndex.truncateTo(expectedBase);
        return truncated;
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

    /** Batches read from a segment and the offset just past the last of them. */
    record ReadResult(ByteBuffer batches, long nextOffset) {
    }

    /**
     * Reads whole batches starting with the one that holds {@code startOffset} (or the first after it, in a
     * log with gaps), at most {@code maxBytes} of them and none at or past byte {@code maxPosition}. With
     * {@code minOneBatch} the first batch is returned whole even when it exceeds {@code maxBytes}, so a
     * large batch cannot stall a reader. Returns null when no batch at or after the offset lies below
     * {@code maxPosition}.
     */
    ReadResult read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch) throws IOException {
        int position = positionOf(startOffset, maxPosition);
        if (position < 0 || position >= maxPosition) {
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
            if (!minOneBatch || firstSize > available) {
                return firstSize > available ? null : new ReadResult(ByteBuffer.allocate(0), BatchHeader.baseOffset(header, 0));
            }
            want = firstSize;
        }
        ByteBuffer buffer = ByteBuffer.allocate(want);
        readFully(buffer, position);
        buffer.flip();
        // Keep whole batches only; the last one may have been cut by the byte limit.
        int end = 0;
        long next = startOffset;
        while (end + BatchHeader.SIZE <= buffer.limit()) {
            int batchSize = BatchHeader.sizeInBytes(buffer, end);
            if (batchSize < BatchHeader.SIZE || end + batchSize > buffer.limit()) {
                break;
            }
            next = BatchHeader.lastOffset(buffer, end) + 1;
            end += batchSize;
        }
        buffer.limit(end);
        return new ReadResult(buffer, next);
    }

    /**
     * The byte position of the first batch whose last offset is at or after {@code offset}, scanning headers
     * forward from the index's hint; {@code limit} when every batch below {@code limit} ends before it.
     */
    int positionOf(long offset, int limit) throws IOException {
        int position = offsetIndex.lookup(offset);
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        while (position + BatchHeader.SIZE <= limit) {
            if (!readHeader(position, header)) {
                return limit;
            }
            if (BatchHeader.lastOffset(header, 0) >= offset) {
                return position;
            }
            position += BatchHeader.sizeInBytes(header, 0);
        }
        return limit;
    }

    /** Offset and timestamp of the first batch holding a record at or after {@code timestamp}, or null. */
    long[] findOffsetByTimestamp(long timestamp, int limit) throws IOException {
        long fromOffset = timeIndex.lookup(timestamp);
        int position = positionOf(fromOffset, limit);
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        while (position + BatchHeader.SIZE <= limit && readHeader(position, header)) {
            int batchSize = BatchHeader.sizeInBytes(header, 0);
            if (BatchHeader.maxTimestamp(header, 0) >= timestamp) {
                ByteBuffer batch = ByteBuffer.allocate(batchSize);
                readFully(batch, position);
                batch.flip();
                for (var it = RecordBatch.wrap(batch).records(); it.hasNext(); ) {
                    var record = it.next();
                    if (record.timestamp() >= timestamp) {
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
            next = BatchHeader.lastOffset(header, 0) + 1;
            position += BatchHeader.sizeInBytes(header, 0);
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
            max = Math.max(max, BatchHeader.maxTimestamp(header, 0));
            position += BatchHeader.sizeInBytes(header, 0);
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
                try {
                    offsetIndex.close();
                } finally {
                    timeIndex.close();
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
