package io.weir.broker.internals.log;

import io.weir.broker.TopicPartition;
import io.weir.broker.common.Time;
import io.weir.broker.errors.CorruptRecordException;
import io.weir.broker.errors.InvalidTimestampException;
import io.weir.broker.errors.KafkaStorageException;
import io.weir.broker.errors.OffsetOutOfRangeException;
import io.weir.broker.errors.RecordTooLargeException;
import io.weir.broker.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one partition: a directory of {@link LogSegment}s with contiguous offsets from the log start
 * offset to the log end offset.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Offsets only grow: every appended batch gets offsets from {@code logEndOffset} on, and segments are
 *       keyed by their base offset in ascending order.</li>
 *   <li>{@code logStartOffset <= highWatermark <= logEndOffset}. Readers never see past the high
 *       watermark, which moves only in {@link #advanceHighWatermark()}, after a batch is written (and synced,
 *       when the flush policy asks for it).</li>
 *   <li>Everything below {@code recoveryPoint} has been synced; after an unclean stop, recovery re-checks
 *       only the segments from the one holding it.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * One writer thread — the append thread of the ring this partition is sharded to — calls {@link #append},
 * {@link #advanceHighWatermark} and {@link #flushIfNeeded}. Retention, periodic flushes and close run on
 * other threads; {@code lock} serialises them with the writer (it is uncontended on the append path).
 * Readers call {@link #read} and the offset look-ups from any thread without locking: they read the
 * published high watermark, then positioned reads of immutable bytes below it.
 */
public final class Log implements AutoCloseable {
    private final TopicPartition topicPartition;
    private final Path dir;
    private final Time time;
    private volatile LogConfig config;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    private volatile long logStartOffset;
    /** The next offset to assign; written under {@code lock}. */
    private volatile long logEndOffset;
    private volatile LogOffsetPosition highWatermark;
    private volatile long recoveryPoint;
    private long lastFlushMs;
    private volatile boolean closed;
    /** Set when an fsync failed: the page cache may have dropped written data, so nothing is trusted until restart. */
    private volatile String offlineReason;
    /** A segment file was created or renamed since the directory was last synced. Guarded by {@code lock}. */
    private boolean directoryDirty = true;

    private Log(TopicPartition topicPartition, Path dir, LogConfig config, Time time) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.lastFlushMs = time.milliseconds();
    }

    /**
     * Opens (or creates) the log in {@code dir}. After a clean shutdown the files are trusted; otherwise every
     * segment from the one holding {@code recoveryPoint} is checked batch by batch and the log is cut at the
     * first torn or corrupt batch, dropping any later segments, so the log keeps exactly its longest valid
     * prefix.
     */
    public static Log open(Path dir, TopicPartition topicPartition, LogConfig config, Time time, boolean cleanShutdown,
                           long recoveryPoint) {
        Log log = new Log(topicPartition, dir, config, time);
        try {
            Files.createDirectories(dir);
            log.loadSegments(cleanShutdown, recoveryPoint);
        } catch (IOException e) {
            log.closeQuietly();
            throw new KafkaStorageException("Could not open the log of " + topicPartition + " in " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            log.closeQuietly();
            throw e;
        }
        return log;
    }

    private void loadSegments(boolean cleanShutdown, long checkpointedRecoveryPoint) throws IOException {
        List<Long> bases = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // left by a deletion or a write interrupted by the stop
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    String stem = name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length());
                    if (stem.length() != 20 || !stem.chars().allMatch(Character::isDigit)) {
                        throw new KafkaStorageException("Unexpected file " + file + " in the log of " + topicPartition
                                + ": segment files are named by a 20-digit base offset; move it away and reopen");
                    }
                    bases.add(Long.parseLong(stem));
                }
            }
        }
        bases.sort(null);
        for (long base : bases) {
            segments.put(base, LogSegment.open(dir, base, config));
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0L, config, time.milliseconds()));
        }
        if (!cleanShutdown) {
            recover(checkpointedRecoveryPoint);
        }
        LogSegment active = segments.lastEntry().getValue();
        logEndOffset = active.readNextOffset();
        logStartOffset = segments.firstKey();
        highWatermark = new LogOffsetPosition(logEndOffset, active.baseOffset, active.size());
        recoveryPoint = cleanShutdown ? logEndOffset : Math.min(logEndOffset, recoveryPoint);
    }

    private void recover(long checkpointedRecoveryPoint) throws IOException {
        Long from = segments.floorKey(Math.max(checkpointedRecoveryPoint, segments.firstKey()));
        boolean truncated = false;
        long expectedNext = from == null ? segments.firstKey() : from;
        for (LogSegment segment : new ArrayList<>(segments.tailMap(from == null ? segments.firstKey() : from).values())) {
            if (truncated || segment.baseOffset != expectedNext) {
                // A corrupt batch, or a segment that does not start where the previous one ended (its
                // predecessor lost unsynced data), ends the valid prefix: nothing after it can be trusted.
                truncated = true;
                segments.remove(segment.baseOffset);
                segment.deleteNow();
                continue;
            }
            int cut = segment.recover(Math.max(config.maxMessageBytes(), config.segmentBytes()), segment.baseOffset);
            segment.flush();
            expectedNext = segment.readNextOffset();
            if (cut > 0) {
                truncated = true;
            }
        }
        if (truncated) {
            LogFiles.syncDirectory(dir);
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0L, config, time.milliseconds()));
        }
        recoveryPoint = segments.lastEntry().getValue().readNextOffset();
    }

    // ---- accessors ----------------------------------------------------------------------------------------

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long highWatermark() {
        return highWatermark.offset();
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    public int numberOfSegments() {
        return segments.size();
    }

    /** Bytes in all segments. */
    public long size() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    // ---- writer side --------------------------------------------------------------------------------------

    /**
     * Validates every batch in {@code batches} (magic, CRC, size, record count, timestamps), gives them
     * offsets from the log end offset, rolls the active segment if needed and writes them. Nothing is written
     * unless every batch is valid. The buffer's base-offset fields are overwritten in place. Writer thread.
     *
     * @throws CorruptRecordException     a batch is malformed or fails its CRC
     * @throws RecordTooLargeException    a batch is larger than {@code max.message.bytes}
     * @throws InvalidTimestampException  a batch carries a negative timestamp other than -1
     * @throws KafkaStorageException      the write failed
     */
    public LogAppendInfo append(ByteBuffer batches) {
        LogConfig cfg = config;
        int records = validate(batches, cfg);
        lock.lock();
        try {
            ensureOpen();
            long firstOffset = logEndOffset;
            long next = firstOffset;
            long maxTimestamp = -1L;
            int at = batches.position();
            while (at < batches.limit()) {
                RecordBatch batch = RecordBatch.wrap(batches.duplicate().position(at));
                batch.setBaseOffset(next);
                next = batch.lastOffset() + 1;
                maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
                at += batch.sizeInBytes();
            }
            int bytes = batches.remaining();
            LogSegment segment = maybeRoll(bytes, next - 1, maxTimestamp, cfg);
            segment.append(batches.duplicate(), next - 1, maxTimestamp);
            logEndOffset = next;
            return new LogAppendInfo(firstOffset, next - 1, maxTimestamp, records, bytes);
        } catch (IOException e) {
            throw new KafkaStorageException("Could not append to " + topicPartition + " in " + dir + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private int validate(ByteBuffer batches, LogConfig cfg) {
        int records = 0;
        int at = batches.position();
        int index = 0;
        if (!batches.hasRemaining()) {
            throw new CorruptRecordException("Produce request for " + topicPartition + " carries no record batch");
        }
        while (at < batches.limit()) {
            int remaining = batches.limit() - at;
            if (remaining < BatchHeader.SIZE) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " is truncated: "
                        + remaining + " bytes left, a batch header needs " + BatchHeader.SIZE);
            }
            int size = BatchHeader.sizeInBytes(batches, at);
            if (size > cfg.maxMessageBytes()) {
                throw new RecordTooLargeException("Record batch of " + size + " bytes for " + topicPartition
                        + " exceeds the topic's max.message.bytes=" + cfg.maxMessageBytes());
            }
            if (size < BatchHeader.SIZE || size > remaining) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " declares " + size
                        + " bytes but " + remaining + " remain");
            }
            RecordBatch batch = RecordBatch.wrap(batches.duplicate().position(at).limit(at + size));
            if (batch.magic() != RecordBatch.MAGIC) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " has magic "
                        + batch.magic() + "; only the v2 format (magic 2) is accepted");
            }
            batch.ensureValid();
            if (batch.recordCount() != batch.lastOffsetDelta() + 1 || batch.recordCount() <= 0) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " has " + batch.recordCount()
                        + " records but last offset delta " + batch.lastOffsetDelta());
            }
            if (batch.firstTimestamp() < -1 || batch.maxTimestamp() < -1) {
                throw new InvalidTimestampException("Batch " + index + " for " + topicPartition + " carries negative timestamp "
                        + Math.min(batch.firstTimestamp(), batch.maxTimestamp()) + "; timestamps must be >= 0 (or -1 for none)");
            }
            records += batch.recordCount();
            at += size;
            index++;
        }
        return records;
    }

    private LogSegment maybeRoll(int incomingBytes, long lastOffset, long incomingMaxTimestamp, LogConfig cfg) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        if (active.size() == 0) {
            return active;
        }
        long now = time.milliseconds();
        boolean full = (long) active.size() + incomingBytes > cfg.segmentBytes();
        // As Kafka: when both the segment's first batch and the incoming one carry timestamps, segment.ms is
        // measured between them (record time); otherwise from when the segment was created (broker time).
        long waited = active.hasRollTimestamp() && incomingMaxTimestamp >= 0
                ? incomingMaxTimestamp - active.rollingBaseTimestamp()
                : now - active.createdMs();
        boolean old = waited >= cfg.segmentMs();
        boolean offsetsOverflow = lastOffset - active.baseOffset > Integer.MAX_VALUE;
        if (full || old || offsetsOverflow || active.offsetIndexFull()) {
            return roll(now);
        }
        return active;
    }

    /** Starts a new active segment at the log end offset. Caller holds {@code lock}. */
    private LogSegment roll(long now) throws IOException {
        LogSegment previous = segments.lastEntry().getValue();
        LogSegment next = LogSegment.create(dir, logEndOffset, config, now);
        // The rolled segment will not grow again: write its index entries so a restart need not rebuild them.
        previous.flushIndexes();
        segments.put(next.baseOffset, next);
        directoryDirty = true;
        return next;
    }

    /** Forces a roll (tests and admin tools). */
    public void roll() {
        lock.lock();
        try {
            if (segments.lastEntry().getValue().size() > 0) {
                roll(time.milliseconds());
            }
        } catch (IOException e) {
            throw new KafkaStorageException("Could not roll " + topicPartition + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** Publishes everything appended so far to readers. Writer thread, after any flush the policy asked for. */
    public void advanceHighWatermark() {
        LogSegment active = segments.lastEntry().getValue();
        highWatermark = new LogOffsetPosition(logEndOffset, active.baseOffset, active.size());
    }

    /** Syncs if {@code policy} says so; returns whether it did. */
    public boolean flushIfNeeded(FlushPolicy policy) {
        long now = time.milliseconds();
        if (recoveryPoint < logEndOffset && policy.shouldFlush(now, lastFlushMs)) {
            flush();
            return true;
        }
        return false;
    }

    /** Syncs every segment holding offsets at or above the recovery point, then moves the recovery point. */
    public void flush() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            ensureOpen();
            long upTo = logEndOffset;
            Long from = segments.floorKey(recoveryPoint);
            for (LogSegment segment : segments.tailMap(from == null ? segments.firstKey() : from).values()) {
                segment.flush();
            }
            if (directoryDirty) {
                // A new segment's data is durable only once its directory entry is.
                LogFiles.syncDirectory(dir);
                directoryDirty = false;
            }
            recoveryPoint = upTo;
            lastFlushMs = time.milliseconds();
        } catch (IOException e) {
            // After a failed fsync the kernel may have dropped the dirty pages while reporting them clean, so
            // a later successful fsync proves nothing: take the log offline rather than move on.
            offlineReason = "a failed fsync (" + e + ")";
            throw new KafkaStorageException("Could not flush " + topicPartition + "; the log is now offline: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Syncs the segments that rolled since the last sync and moves the recovery point to the active segment's
     * base, as Kafka does after a roll, so that after a crash only the active segment needs re-checking even
     * under the {@code os} policy. Rolled segments are immutable, so the syncs run without blocking the writer.
     */
    public void flushRolledSegments() {
        List<LogSegment> rolled;
        long activeBase;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            activeBase = segments.lastKey();
            if (recoveryPoint >= activeBase) {
                return;
            }
            Long from = segments.floorKey(recoveryPoint);
            rolled = new ArrayList<>(segments.subMap(from == null ? segments.firstKey() : from, true, activeBase, false).values());
        } finally {
            lock.unlock();
        }
        try {
            for (LogSegment segment : rolled) {
                segment.flush();
            }
        } catch (IOException e) {
            if (!closed) {
                throw new KafkaStorageException("Could not flush rolled segments of " + topicPartition + ": " + e, e);
            }
            return;
        }
        lock.lock();
        try {
            if (!closed && recoveryPoint < activeBase) {
                recoveryPoint = activeBase;
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- reader side --------------------------------------------------------------------------------------

    /**
     * Reads whole batches from {@code offset}, at most {@code maxBytes} (but one whole batch with
     * {@code minOneBatch}), never past the high watermark. Any thread.
     *
     * @throws OffsetOutOfRangeException {@code offset} is before the log start or after the log end
     */
    public FetchDataInfo read(long offset, int maxBytes, boolean minOneBatch) {
        LogOffsetPosition hw = highWatermark;
        long start = logStartOffset;
        long end = logEndOffset;
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException("Offset " + offset + " is out of range for " + topicPartition
                    + ": the log holds [" + start + ", " + end + ")");
        }
        if (offset >= hw.offset()) {
            return new FetchDataInfo(ByteBuffer.allocate(0), hw.offset(), start, end);
        }
        Long floor = segments.floorKey(offset);
        try {
            for (LogSegment segment : segments.tailMap(floor == null ? offset : floor).values()) {
                if (segment.baseOffset > hw.segmentBaseOffset()) {
                    break;
                }
                int maxPosition = segment.baseOffset == hw.segmentBaseOffset() ? hw.position() : segment.size();
                LogSegment.ReadResult result = segment.read(offset, maxBytes, maxPosition, minOneBatch);
                if (result != null && result.batches().hasRemaining()) {
                    return new FetchDataInfo(result.batches(), hw.offset(), start, end);
                }
                if (result != null) {
                    break; // the first batch did not fit in maxBytes
                }
            }
        } catch (IOException e) {
            if (offset < logStartOffset) {
                throw new OffsetOutOfRangeException("Offset " + offset + " of " + topicPartition
                        + " was deleted by retention while it was read; the log now starts at " + logStartOffset);
            }
            throw new KafkaStorageException("Could not read " + topicPartition + " at offset " + offset + ": " + e, e);
        }
        return new FetchDataInfo(ByteBuffer.allocate(0), hw.offset(), start, end);
    }

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, with that timestamp, or null
     * when no record below the high watermark is that late. Any thread.
     */
    public long[] offsetForTimestamp(long timestamp) {
        LogOffsetPosition hw = highWatermark;
        try {
            for (LogSegment segment : segments.values()) {
                if (segment.baseOffset > hw.segmentBaseOffset()) {
                    break;
                }
                if (segment.maxTimestamp() < timestamp) {
                    continue;
                }
                int limit = segment.baseOffset == hw.segmentBaseOffset() ? hw.position() : segment.size();
                long[] found = segment.findOffsetByTimestamp(timestamp, limit);
                if (found != null) {
                    return found;
                }
            }
            return null;
        } catch (IOException e) {
            throw new KafkaStorageException("Could not search " + topicPartition + " by timestamp: " + e, e);
        }
    }

    /**
     * The offset and timestamp of the record with the largest timestamp below the high watermark (the first
     * such record on ties), or null when there is none. Any thread.
     */
    public long[] maxTimestampAndOffset() {
        LogOffsetPosition hw = highWatermark;
        try {
            long best = -1L;
            for (LogSegment segment : segments.values()) {
                if (segment.baseOffset > hw.segmentBaseOffset()) {
                    break;
                }
                long segmentMax = segment.baseOffset == hw.segmentBaseOffset()
                        ? segment.scanMaxTimestamp(0, hw.position()) : segment.maxTimestamp();
                best = Math.max(best, segmentMax);
            }
            return best < 0 ? null : offsetForTimestamp(best);
        } catch (IOException e) {
            throw new KafkaStorageException("Could not search " + topicPartition + " for its largest timestamp: " + e, e);
        }
    }

    // ---- retention ----------------------------------------------------------------------------------------

    /**
     * Removes whole segments that retention no longer needs — older than {@code retention.ms} by their newest
     * record, or the oldest ones while the log exceeds {@code retention.bytes} — never the active segment and
     * never one holding offsets at or above the high watermark. Advances the log start offset. The removed
     * segments are renamed {@code .deleted} and returned; the caller deletes them after
     * {@code file.delete.delay.ms} so readers in flight can finish.
     */
    public List<DeletedSegment> deleteRetainedSegments() {
        lock.lock();
        try {
            if (closed) {
                return List.of();
            }
            LogConfig cfg = config;
            if (!cfg.deletesOldSegments()) {
                return List.of(); // compact-only: every key's latest record must stay
            }
            long now = time.milliseconds();
            long hw = highWatermark.offset();
            long totalSize = size();
            List<DeletedSegment> deleted = new ArrayList<>();
            while (segments.size() > 1) {
                Map.Entry<Long, LogSegment> first = segments.firstEntry();
                LogSegment segment = first.getValue();
                long nextBase = segments.higherKey(first.getKey());
                if (nextBase > hw) {
                    break;
                }
                long newest = segment.maxTimestamp() >= 0 ? segment.maxTimestamp() : segment.rollingBaseTimestamp();
                boolean expired = cfg.retentionMs() >= 0 && now - newest > cfg.retentionMs();
                boolean oversize = cfg.retentionBytes() >= 0 && totalSize - segment.size() >= cfg.retentionBytes();
                if (!expired && !oversize) {
                    break;
                }
                segments.remove(first.getKey());
                logStartOffset = nextBase;
                totalSize -= segment.size();
                segment.markDeleted();
                directoryDirty = true;
                deleted.add(new DeletedSegment(segment, now + cfg.fileDeleteDelayMs()));
            }
            return deleted;
        } catch (IOException e) {
            throw new KafkaStorageException("Could not delete old segments of " + topicPartition + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** A segment removed from the log whose files go at {@code deleteAtMs}. */
    public static final class DeletedSegment {
        private final LogSegment segment;
        private final long deleteAtMs;

        DeletedSegment(LogSegment segment, long deleteAtMs) {
            this.segment = segment;
            this.deleteAtMs = deleteAtMs;
        }

        public long deleteAtMs() {
            return deleteAtMs;
        }

        public void deleteFiles() throws IOException {
            segment.deleteNow();
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("The log of " + topicPartition + " is closed");
        }
        String reason = offlineReason;
        if (reason != null) {
            throw new KafkaStorageException("The log of " + topicPartition + " is offline after " + reason
                    + "; restart the broker so recovery can check what reached the disk");
        }
    }

    /** Whether an fsync failed on this log; it then refuses appends until the broker restarts. */
    public boolean isOffline() {
        return offlineReason != null;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Syncs and closes every segment. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
        } catch (IOException e) {
            throw new KafkaStorageException("Could not close " + topicPartition + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** Closes without syncing, as a crash would leave things (tests). */
    public void closeWithoutFlush() {
        closed = true;
        closeQuietly();
    }

    private void closeQuietly() {
        for (LogSegment segment : segments.values()) {
            try {
                segment.closeWithoutFlush();
            } catch (IOException ignored) {
                // already failing; the files stay as they are for the next recovery
            }
        }
    }

    /** Closes the log and removes its directory. */
    public void delete() {
        lock.lock();
        try {
            closed = true;
            for (LogSegment segment : segments.values()) {
                segment.deleteNow();
            }
            segments.clear();
            LogFiles.deleteRecursively(dir);
        } catch (IOException e) {
            throw new KafkaStorageException("Could not delete the log of " + topicPartition + " in " + dir + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** Segment base offsets, for tests and tools. */
    public List<Long> segmentBaseOffsets() {
        return List.copyOf(new TreeMap<>(segments).keySet());
    }

    @Override
    public String toString() {
        return "Log(" + topicPartition + ", start=" + logStartOffset + ", hw=" + highWatermark.offset() + ", end=" + logEndOffset + ")";
    }
}
