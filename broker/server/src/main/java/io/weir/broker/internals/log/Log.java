package io.weir.broker.internals.log;

import io.weir.broker.FlushPolicy;
import io.weir.broker.LogConfig;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.errors.InvalidTimestampException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.record.RecordBatch;
import io.weir.common.utils.Time;
import io.weir.transactions.BatchMetadata;
import io.weir.transactions.CompletedTxn;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.ProducerStateEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one partition: a directory of {@link LogSegment}s with offsets from the log start offset to
 * the log end offset (contiguous, except for the gaps the log cleaner leaves in a compacted log's rolled
 * segments), the partition's producer state ({@link LogProducerState}: idempotence,
 * transactions, snapshots) and the aborted-transaction indexes of its segments.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Offsets only grow: every appended batch gets offsets from {@code logEndOffset} on, and segments are
 *       keyed by their base offset in ascending order.</li>
 *   <li>{@code logStartOffset <= lastStableOffset <= highWatermark <= logEndOffset}. Readers never see past
 *       the high watermark, read_committed readers never past the last stable offset; both move only in
 *       {@link #advanceHighWatermark()}, after a batch is written (and synced, when the flush policy asks
 *       for it), and are published together in one volatile write.</li>
 *   <li>The producer state reflects exactly the log: an append is checked against it before anything is
 *       written, and committed to it right after the write, so its end offset is the log end offset.</li>
 *   <li>Every aborted transaction whose ABORT marker lies in a segment is in that segment's transaction
 *       index.</li>
 *   <li>Everything below {@code recoveryPoint} has been synced; after an unclean stop, recovery re-checks
 *       only the segments from the one holding it, that one from its last indexed batch below it, and the producer
 *       state is rebuilt from its newest snapshot at or below the recovered end. {@link #flushTail} keeps the
 *       index entries and a snapshot near the log end, so that work stays about the bytes appended since.</li>
 *   <li>A failed write or sync of any of its files takes the log's whole directory offline
 *       ({@link LogDirFailureChannel}, shared through the {@link LogDirContext}): from then on appends, reads
 *       and syncs of every log in it are refused, so the recovery point never moves past a page the kernel
 *       may have dropped.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * One writer thread — the append thread of the ring this partition is sharded to — calls {@link #append},
 * {@link #advanceHighWatermark} and {@link #flushIfNeeded}. Retention, producer expiry, periodic flushes and
 * close run on other threads; {@code lock} serialises them with the writer and guards the producer state (it
 * is uncontended on the append path). Readers call {@link #read}, {@link #abortedTransactions} and the offset
 * look-ups from any thread without locking, through {@link LogReader}: they read the published offsets, then
 * positioned reads of immutable bytes below them. Syncs of the segments are also serialised by {@code syncLock}
 * (taken after {@code lock}, or alone by {@link #flushRolledSegments}), so that a failed sync is recorded before
 * any other sync of the log starts.
 */
public final class Log implements AutoCloseable {
    private final TopicPartition topicPartition;
    private final Path dir;
    private final Time time;
    /** The directory's file opener, offline state and segment deleter, shared with its other logs. */
    private final LogDirContext context;

    private volatile LogConfig config;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Held across every sync of the segments that may move the recovery point, and across recording its failure.
     * Linux reports a writeback error to a file's next fsync only, so a second sync of the same file, by another
     * thread right after the failed one, would succeed for pages the kernel dropped; holding this lock, that
     * sync starts only once the failure has taken the directory offline, and then refuses to move the recovery
     * point. Lock order: {@code lock}, then this; {@link #flushRolledSegments} takes it without {@code lock}.
     */
    private final ReentrantLock syncLock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final LogProducerState producerState;

    private final LogReader reader;

    private volatile long logStartOffset;
    /** The next offset to assign; written under {@code lock}. */
    private volatile long logEndOffset;
    /** The high watermark and last stable offset; written under {@code lock}. */
    private volatile PublishedOffsets published;

    private volatile long recoveryPoint;
    /** Bytes appended since the log opened; written under {@code lock}, read by the tail flusher without it. */
    private volatile long appendedBytes;
    /** {@link #appendedBytes} when the last {@link #flushTail} began; written under {@code lock}. */
    private volatile long appendedBytesAtFlush;
    /**
     * When the last sync finished. Written under {@code lock} by {@link #flush()}, which may run on a maintenance
     * thread (the interval policy's timer), and read without it by the writer in {@link #flushIfNeeded}: volatile,
     * so the writer sees the latest sync and does not sync again at once.
     */
    private volatile long lastFlushMs;

    private volatile boolean closed;
    /** Counts cleaner swaps, twice each (see {@link #swappedSince}); written under {@code lock}. */
    private volatile long swapGeneration;
    /** A segment file was created or renamed since the directory was last synced. Guarded by {@code lock}. */
    private boolean directoryDirty = true;

    private Log(
            TopicPartition topicPartition,
            Path dir,
            LogConfig config,
            Time time,
            LogDirContext context,
            LogLoader.Loaded loaded) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.context = context;
        this.lastFlushMs = time.milliseconds();
        this.segments = loaded.segments();
        this.producerState = loaded.producerState();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.reader = new LogReader(topicPartition, segments, () -> logStartOffset);
        publish();
    }

    /**
     * Opens (or creates) the log in {@code dir}. After a crash every segment from the one holding the
     * {@link Shutdown.Crash#recoveryPoint()} is checked batch by batch and the log is cut at the first torn or corrupt batch,
     * dropping every later segment that no longer continues it, so the log keeps exactly its longest valid
     * prefix. After a clean shutdown the rolled segments are trusted and the active segment's tail, from its last
     * index entry, is checked the same way. Either way the producer state is restored from the newest usable
     * snapshot and the log after it.
     *
     * @param producerStateConfig the broker's {@code producer.id.expiration.ms}; the clock is {@code time}'s
     * @param shutdown            how the log was left: {@link Shutdown#CLEAN} or {@link Shutdown#crash}
     * @param context             what the log shares with the other logs of its directory: how files are opened,
     *                            the directory's offline state and its segment deleter
     */
    public static Log open(
            Path dir,
            TopicPartition topicPartition,
            LogConfig config,
            ProducerStateConfig producerStateConfig,
            Time time,
            Shutdown shutdown,
            LogDirContext context) {
        return open(dir, topicPartition, config, producerStateConfig, time, shutdown, 0L, context);
    }

    /**
     * As {@link #open(Path, TopicPartition, LogConfig, ProducerStateConfig, Time, Shutdown, LogDirContext)}, with the
     * log start offset the directory's {@code log-start-offset-checkpoint} holds for the partition: the log starts
     * there, or at its first segment's base if that is higher (retention went further). If a crash left the log
     * ending below it, the records it lost were deleted already: the log is emptied and starts there.
     *
     * @param checkpointedLogStartOffset the checkpointed log start offset, 0 when there is none
     */
    public static Log open(
            Path dir,
            TopicPartition topicPartition,
            LogConfig config,
            ProducerStateConfig producerStateConfig,
            Time time,
            Shutdown shutdown,
            long checkpointedLogStartOffset,
            LogDirContext context) {
        LogLoader.Loaded loaded = LogLoader.load(
                dir,
                topicPartition,
                config,
                producerStateConfig,
                time,
                shutdown,
                checkpointedLogStartOffset,
                context.channels());
        return new Log(topicPartition, dir, config, time, context, loaded);
    }

    /** A log used alone, in a directory context of its own (tests and tools). */
    public static Log open(
            Path dir,
            TopicPartition topicPartition,
            LogConfig config,
            ProducerStateConfig producerStateConfig,
            Time time,
            Shutdown shutdown) {
        return open(
                dir, topicPartition, config, producerStateConfig, time, shutdown, LogDirContext.standalone(dir, time));
    }

    // ---- accessors ----------------------------------------------------------------------------------------

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    LogDirContext context() {
        return context;
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
        return published.highWatermark();
    }

    /**
     * The offset below which every transaction is decided: the first offset of the oldest open transaction,
     * or the high watermark if that is lower or none is open. read_committed readers stop here.
     */
    public long lastStableOffset() {
        return published.lastStableOffset();
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
     * Validates every batch in {@code batches} (magic, CRC, size, record count, timestamps) and checks it
     * against the producer state, gives the batches offsets from the log end offset, rolls the active
     * segment if needed and writes them. Nothing is written unless every batch is valid and the producer state
     * admits it. The buffer's base-offset fields are overwritten in place. Writer thread.
     *
     * <p>A resend of one of a producer's last five batches writes nothing and is answered with the original
     * batch's offsets ({@link LogAppendInfo#isDuplicate()}). A marker ending an aborted transaction indexes
     * it in the segment it lands in.
     *
     * @param origin {@link AppendOrigin#CLIENT} for a producer's request; only {@link AppendOrigin#COORDINATOR}
     *               may write markers and transactional batches without a sequence
     * @throws CorruptRecordException     a batch is malformed or fails its CRC
     * @throws RecordTooLargeException    a batch is larger than {@code max.message.bytes}
     * @throws InvalidTimestampException  a batch carries a negative timestamp other than -1
     * @throws InvalidRecordException     a client's control batch, a producer's batch not alone in its append, or
     *                                    a record without a key on a compacted log
     * @throws io.weir.common.errors.OutOfOrderSequenceException, InvalidProducerEpochException,
     *         UnknownProducerIdException, InvalidTxnStateException, TransactionCoordinatorFencedException:
     *         the producer state refused the batch (see {@link LogProducerState#check})
     * @throws LogDirFailureException     the write failed, or an earlier one took the log's directory offline
     * @throws KafkaStorageException      the log is closed
     */
    public LogAppendInfo append(ByteBuffer batches, AppendOrigin origin) {
        LogConfig cfg = config;
        int records = LogValidator.validate(batches, cfg, topicPartition);
        lock.lock();
        try {
            ensureOpen();
            LogProducerState.Pending pending = producerState.check(batches, origin);
            if (pending instanceof LogProducerState.Duplicate duplicate) {
                BatchMetadata original = duplicate.duplicate().original();
                return new LogAppendInfo(
                        original.firstOffset(), original.lastOffset(), original.maxTimestamp(), records, 0);
            }
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
            appendedBytes += bytes;
            Optional<CompletedTxn> completed = producerState.commit(pending, firstOffset, next - 1, maxTimestamp);
            if (completed.isPresent() && completed.get().isAborted()) {
                indexAbort(segment, completed.get());
            }
            return new LogAppendInfo(firstOffset, next - 1, maxTimestamp, records, bytes);
        } catch (IOException e) {
            throw storageFailure("Append to " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    private void indexAbort(LogSegment segment, CompletedTxn aborted) {
        try {
            segment.appendAbortedTxn(producerState.abortedEntry(aborted));
        } catch (IOException e) {
            // The marker is written but read_committed readers would not know to skip the aborted batches;
            // a restart replays the marker and indexes it again.
            throw storageFailure(
                    "Indexing the transaction of producer " + aborted.producerId() + " aborted at offset "
                            + aborted.lastOffset() + " of " + topicPartition,
                    e);
        }
    }

    /**
     * The storage-failure rule (see {@link LogDirFailureChannel}): a failed write or sync of one of this log's
     * files takes its whole directory offline. Returns the exception to throw, naming the file that failed.
     */
    LogDirFailureException storageFailure(String operation, IOException cause) {
        return context.failures().fail(operation, dir, cause);
    }

    private LogSegment maybeRoll(int incomingBytes, long lastOffset, long incomingMaxTimestamp, LogConfig cfg)
            throws IOException {
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
        // The cleaner never touches the active segment, so on a compacted log it rolls once its first record
        // reaches max.compaction.lag.ms (KIP-354).
        long rollAfter = cfg.compacts() ? Math.min(cfg.segmentMs(), cfg.maxCompactionLagMs()) : cfg.segmentMs();
        boolean old = waited >= rollAfter;
        boolean offsetsOverflow = lastOffset - active.baseOffset > Integer.MAX_VALUE;
        if (full || old || offsetsOverflow || active.offsetIndexFull()) {
            return roll(now);
        }
        return active;
    }

    /**
     * Starts a new active segment at the log end offset, after syncing the rolled segment's indexes and
     * writing a producer-state snapshot at the new segment's base. Caller holds {@code lock}.
     */
    private LogSegment roll(long now) throws IOException {
        LogSegment previous = segments.lastEntry().getValue();
        // The rolled segment will not grow again: write its index entries so a restart need not rebuild them,
        // and sync its aborted transactions, which the snapshot below no longer replays.
        previous.flushIndexes();
        producerState.takeSnapshot(logEndOffset, recoveryPoint);
        LogSegment next = LogSegment.create(dir, logEndOffset, config, now, context.channels());
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
            throw storageFailure("Roll of " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes everything appended so far to readers: the high watermark and, with it, the last stable
     * offset, which a marker may have moved. Writer thread, after any flush the policy asked for.
     */
    public void advanceHighWatermark() {
        lock.lock();
        try {
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds {@code lock}, or is the constructor. */
    private void publish() {
        published = offsetsAtEnd();
    }

    /** What publishing now would make visible: everything appended. Caller holds {@code lock}. */
    private PublishedOffsets offsetsAtEnd() {
        LogSegment active = segments.lastEntry().getValue();
        long end = logEndOffset;
        return new PublishedOffsets(end, active.baseOffset, active.size(), lastStableBelow(end));
    }

    /** The segments holding offsets at or above the recovery point, from the one that holds it. Caller holds {@code lock}. */
    private NavigableMap<Long, LogSegment> segmentsFromRecoveryPoint() {
        Long from = segments.floorKey(recoveryPoint);
        return segments.tailMap(from == null ? segments.firstKey() : from, true);
    }

    /**
     * The last stable offset with {@code highWatermark} published: the first unstable offset or the high watermark,
     * whichever is lower, never below the log start. Caller holds {@code lock}.
     */
    private long lastStableBelow(long highWatermark) {
        return Math.max(
                logStartOffset,
                Math.min(highWatermark, producerState.firstUnstableOffset().orElse(highWatermark)));
    }

    /**
     * The offsets {@link #advanceHighWatermark()} would publish now, without publishing them: a group commit
     * takes them at the end of a ring batch and publishes them with {@link #advanceHighWatermarkTo} once
     * {@link #syncForGroupCommit} has made them durable. Writer thread.
     */
    public PublishedOffsets offsetsToPublish() {
        lock.lock();
        try {
            return offsetsAtEnd();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes {@code offsets}, taken earlier by {@link #offsetsToPublish}, unless something newer is already
     * published (offsets only grow). Any thread; publications of one log must come in the order taken.
     */
    public void advanceHighWatermarkTo(PublishedOffsets offsets) {
        lock.lock();
        try {
            PublishedOffsets current = published;
            if (offsets.highWatermark() > current.highWatermark()
                    || (offsets.highWatermark() == current.highWatermark()
                            && offsets.lastStableOffset() > current.lastStableOffset())) {
                published = new PublishedOffsets(
                        offsets.highWatermark(),
                        offsets.segmentBaseOffset(),
                        offsets.position(),
                        Math.max(logStartOffset, offsets.lastStableOffset()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Syncs if {@code policy} says so; returns whether it did. */
    public boolean flushIfNeeded(FlushPolicy policy) {
        if (needsFlush(policy)) {
            flush();
            return true;
        }
        return false;
    }

    /** Whether {@code policy} asks for a sync now: something is appended past the recovery point and it is time. */
    public boolean needsFlush(FlushPolicy policy) {
        return recoveryPoint < logEndOffset && policy.shouldFlush(time.milliseconds(), lastFlushMs);
    }

    /**
     * The sync of a group commit: makes everything below {@code upTo} durable and moves the recovery point
     * there, without holding the log's lock across the sync, so the writer goes on appending the next group
     * while this one reaches the disk. Rolled segments get a full {@link LogSegment#flush}; the active one a
     * data-only sync ({@link LogSegment#syncData}: its index entries are rebuilt by recovery, so syncing three
     * files for every group would only triple the syncs); the partition directory too if a segment was created
     * since its last sync. Syncs are serialised with the log's others and with the recording of a failure by
     * {@code syncLock}, as {@link #flush()}'s are.
     *
     * @param upTo an offset the writer had appended up to before asking (a {@link #offsetsToPublish} high
     *             watermark); bytes appended after it may be synced too, but only {@code upTo} is promised
     * @throws LogDirFailureException a sync failed, now or before: nothing below {@code upTo} is known durable
     * @throws KafkaStorageException the log was closed before its data was synced
     */
    public void syncForGroupCommit(long upTo) {
        List<LogSegment> toSync;
        boolean syncDirectory;
        lock.lock();
        try {
            ensureOpen();
            if (recoveryPoint >= upTo) {
                return; // a flush by close, the interval timer or an earlier group covered it
            }
            toSync = new ArrayList<>(segmentsFromRecoveryPoint().values());
            // Cleared now, not after the sync: a roll during the sync marks it again for the next group. If this
            // sync fails, the directory goes offline and nothing syncs any more.
            syncDirectory = directoryDirty;
            directoryDirty = false;
        } finally {
            lock.unlock();
        }
        syncLock.lock();
        try {
            ensureOpen(); // a sync that failed on another thread is recorded by now: this one would prove nothing
            LogSegment active = toSync.get(toSync.size() - 1);
            for (LogSegment segment : toSync) {
                if (segment == active) {
                    segment.syncData();
                } else {
                    segment.flush();
                }
            }
            if (syncDirectory) {
                LogFiles.syncDirectory(context.channels(), dir);
            }
        } catch (IOException e) {
            if (closed) {
                throw new KafkaStorageException(
                        "The log of " + topicPartition + " was closed before offset " + upTo + " was synced", e);
            }
            throw storageFailure("Sync of " + topicPartition, e);
        } finally {
            syncLock.unlock();
        }
        lock.lock();
        try {
            ensureOpen();
            recoveryPoint = Math.max(recoveryPoint, upTo);
            lastFlushMs = time.milliseconds();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Syncs every segment holding offsets at or above the recovery point, then moves the recovery point.
     *
     * @throws LogDirFailureException a sync failed, now or before, and the log's directory is offline
     */
    public void flush() {
        lock.lock();
        syncLock.lock();
        try {
            if (closed) {
                return;
            }
            ensureOpen(); // after taking syncLock: a sync that failed on another thread is recorded by now
            long upTo = logEndOffset;
            for (LogSegment segment : segmentsFromRecoveryPoint().values()) {
                segment.flush();
            }
            if (directoryDirty) {
                // A new segment's data is durable only once its directory entry is.
                LogFiles.syncDirectory(context.channels(), dir);
                directoryDirty = false;
            }
            recoveryPoint = upTo;
            lastFlushMs = time.milliseconds();
        } catch (IOException e) {
            // After a failed fsync the kernel may have dropped the dirty pages while reporting them clean, so
            // a later successful fsync proves nothing: take the directory offline rather than move on.
            throw storageFailure("Sync of " + topicPartition, e);
        } finally {
            syncLock.unlock();
            lock.unlock();
        }
    }

    /**
     * Bytes appended since the last {@link #flushTail()} began: about what a recovery after a crash would check at
     * most (other syncs move the recovery point but leave the index entries and the producer-state snapshot behind),
     * and what {@code log.flush.interval.bytes} is compared with. Any thread.
     */
    public long bytesSinceTailFlush() {
        return appendedBytes - appendedBytesAtFlush;
    }

    /**
     * Makes everything appended so far cheap to recover, from a maintenance thread, without holding the log's lock
     * across the data sync: syncs the data and moves the recovery point to the log end as a group commit does
     * ({@link #syncForGroupCommit}), then writes the active segment's offset and time index entries, so a recovery
     * after a crash starts within {@code index.interval.bytes} of the recovery point ({@link
     * LogSegment#recoverAfter}); and, before all that, under the lock, syncs its aborted-transaction index and writes
     * a producer-state snapshot at the log end, so the producer state is replayed from there and not from the
     * segment's base. The lock is held for those two small writes only (as a roll holds it for the same). Kafka has
     * no such flush: {@code log.flush.interval.bytes} drives it (see {@link io.weir.broker.BrokerConfig}).
     *
     * @return whether it synced anything: false when nothing was appended since the last flush, or the log is
     *     closed or offline
     * @throws LogDirFailureException a sync failed; the log's directory is now offline
     */
    public boolean flushTail() {
        long upTo;
        long appendedAt;
        LogSegment active;
        lock.lock();
        try {
            if (closed || context.failures().isOffline() || appendedBytes == appendedBytesAtFlush) {
                return false;
            }
            upTo = logEndOffset;
            appendedAt = appendedBytes;
            active = segments.lastEntry().getValue();
            // The snapshot replaces replaying the markers below upTo, so the aborts they indexed must be durable first.
            active.flushTxnIndex();
            producerState.takeSnapshot(upTo, recoveryPoint);
        } catch (IOException e) {
            throw storageFailure("Producer-state snapshot of " + topicPartition, e);
        } finally {
            lock.unlock();
        }
        try {
            syncForGroupCommit(upTo);
        } catch (KafkaStorageException e) {
            if (closed) {
                return false; // closed under the sync, which close itself completed
            }
            throw e;
        }
        syncLock.lock();
        try {
            if (closed || context.failures().isOffline()) {
                return false;
            }
            // Entries past upTo may point at bytes not yet synced: recovery uses none at or above the recovery point.
            active.flushOffsetIndexes();
        } catch (IOException e) {
            if (closed) {
                return false;
            }
            throw storageFailure("Index write of " + topicPartition, e);
        } finally {
            syncLock.unlock();
        }
        lock.lock();
        try {
            appendedBytesAtFlush = Math.max(appendedBytesAtFlush, appendedAt);
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Syncs the segments that rolled since the last sync and moves the recovery point to the active segment's
     * base, as Kafka does after a roll, so that after a crash only the active segment needs re-checking even
     * under the {@code os} policy. Rolled segments are immutable, so the syncs run without the log's lock and
     * appends go on meanwhile (a sync by the writer waits for them: see {@code syncLock}). Does nothing once the
     * log's directory is offline.
     *
     * @throws LogDirFailureException a sync failed; the log's directory is now offline
     */
    public void flushRolledSegments() {
        List<LogSegment> rolled;
        long activeBase;
        lock.lock();
        try {
            if (closed || context.failures().isOffline()) {
                return;
            }
            activeBase = segments.lastKey();
            if (recoveryPoint >= activeBase) {
                return;
            }
            rolled = new ArrayList<>(
                    segmentsFromRecoveryPoint().headMap(activeBase, false).values());
        } finally {
            lock.unlock();
        }
        syncLock.lock();
        try {
            if (context.failures().isOffline()) {
                return; // a sync failed meanwhile: one that succeeds now proves nothing
            }
            for (LogSegment segment : rolled) {
                segment.flush();
            }
        } catch (IOException e) {
            if (closed) {
                return; // closed or deleted under the sync, which closed the channels: nothing failed
            }
            throw storageFailure("Sync of the rolled segments of " + topicPartition, e);
        } finally {
            syncLock.unlock();
        }
        lock.lock();
        try {
            // A sync of the log that failed since ours took the directory offline: move nothing any more.
            if (!closed && !context.failures().isOffline() && recoveryPoint < activeBase) {
                recoveryPoint = activeBase;
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- reader side --------------------------------------------------------------------------------------

    /** {@link #read(long, int, boolean, IsolationLevel)} under read_uncommitted. */
    public FetchDataInfo read(long offset, int maxBytes, boolean minOneBatch) {
        return read(offset, maxBytes, minOneBatch, IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * Reads whole batches from {@code offset}, at most {@code maxBytes} (but one whole batch with
     * {@code minOneBatch}), never past the high watermark and, under read_committed, only batches that start
     * below the last stable offset. Any thread.
     *
     * @throws OffsetOutOfRangeException {@code offset} is before the log start or after the log end
     */
    public FetchDataInfo read(long offset, int maxBytes, boolean minOneBatch, IsolationLevel isolation) {
        return read(offset, maxBytes, minOneBatch, isolation, ReadMode.COPY);
    }

    /**
     * {@link #read(long, int, boolean, IsolationLevel)}, leaving the batches in the segment file where {@code mode}
     * asks and the isolation level allows (see {@link ReadMode#FILE_SLICE}). The file slice is valid while its
     * segment's channel is open: a deleted segment's channel closes {@code file.delete.delay.ms} after it leaves the
     * log.
     */
    public FetchDataInfo read(long offset, int maxBytes, boolean minOneBatch, IsolationLevel isolation, ReadMode mode) {
        return read(offset, maxBytes, minOneBatch, isolation, mode, ReadBuffers.HEAP);
    }

    /**
     * {@link #read(long, int, boolean, IsolationLevel, ReadMode)}, reading into a buffer from {@code buffers} where it
     * reads into memory (an in-process consumer's pooled read buffers).
     */
    public FetchDataInfo read(
            long offset,
            int maxBytes,
            boolean minOneBatch,
            IsolationLevel isolation,
            ReadMode mode,
            ReadBuffers buffers) {
        if (context.failures().isOffline()) { // the message is built only then: reads are a hot path
            context.failures().ensureOnline("Read of " + topicPartition + " at offset " + offset);
        }
        return reader.read(offset, maxBytes, minOneBatch, isolation, published, logEndOffset, mode, buffers);
    }

    /**
     * An error for a batch read through {@link #read} that does not check ({@code cause}), naming where the batch
     * lies: the partition, its segment file and byte position. For the broker's own readers that decode what
     * they read (the offsets and transaction-state topics at open). Any thread.
     */
    public CorruptSegmentException corruptBatch(long offset, CorruptRecordException cause) {
        return reader.corruptBatch(offset, cause);
    }

    /**
     * The aborted transactions with their marker at or after {@code startOffset} and their first batch below
     * {@code upperBoundOffset}: what a read_committed reader of that range must skip. Any thread.
     */
    public List<AbortedTxn> abortedTransactions(long startOffset, long upperBoundOffset) {
        if (context.failures().isOffline()) {
            context.failures().ensureOnline("Read of the aborted transactions of " + topicPartition);
        }
        return reader.abortedTransactions(startOffset, upperBoundOffset);
    }

    /**
     * The first offset at or after the log start whose record timestamp is at or after {@code timestamp}, with that
     * timestamp, or null when no record there below the high watermark is that late. Any thread.
     */
    public long[] offsetForTimestamp(long timestamp) {
        if (context.failures().isOffline()) {
            context.failures().ensureOnline("Search of " + topicPartition + " by timestamp");
        }
        return reader.offsetForTimestamp(timestamp, logStartOffset, published);
    }

    /**
     * The offset and timestamp of the record with the largest timestamp below the high watermark (the first
     * such record on ties), or null when there is none. As in Kafka, records below the log start still count
     * while their segment is in the log. Any thread.
     */
    public long[] maxTimestampAndOffset() {
        if (context.failures().isOffline()) {
            context.failures().ensureOnline("Search of " + topicPartition + " for its largest timestamp");
        }
        return reader.maxTimestampAndOffset(published);
    }

    // ---- producers ----------------------------------------------------------------------------------------

    /** Every producer the partition's state holds, as an immutable map. */
    public Map<Long, ProducerStateEntry> producers() {
        lock.lock();
        try {
            return producerState.producers();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets producers with no open transaction that sent nothing for {@code producer.id.expiration.ms}; their
     * next batch that does not start at sequence 0 gets UNKNOWN_PRODUCER_ID. Returns how many went.
     */
    public int removeExpiredProducers() {
        lock.lock();
        try {
            return closed ? 0 : producerState.removeExpired();
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #removeExpiredProducers()}, as the check at {@code nowMs} would have: what a log opened after the
     * broker (see {@code UnopenedLog}) applies for the last check it missed.
     */
    int removeExpiredProducers(long nowMs) {
        lock.lock();
        try {
            return closed ? 0 : producerState.removeExpired(nowMs);
        } finally {
            lock.unlock();
        }
    }

    // ---- retention and deleted records --------------------------------------------------------------------

    /**
     * Removes whole segments that retention no longer needs — older than {@code retention.ms} by their newest
     * record, or the oldest ones while the log exceeds {@code retention.bytes} — never the active segment and
     * never one holding offsets at or above the high watermark; and, whatever the cleanup policy, every segment
     * wholly below the log start (which DeleteRecords may have moved). Advances the log start offset. The removed
     * segments are renamed {@code .deleted} and returned; the caller deletes them after
     * {@code file.delete.delay.ms} so readers in flight can finish. The producers whose batches all went, and
     * the producer-state snapshots below the new log start, go with them; so do the segments' aborted-
     * transaction indexes. Nothing is removed once the log's directory is offline.
     *
     * @throws LogDirFailureException a rename or snapshot deletion failed; the log's directory is now offline
     */
    public List<DeletedSegment> deleteRetainedSegments() {
        lock.lock();
        try {
            if (closed || context.failures().isOffline()) {
                return List.of();
            }
            long now = time.milliseconds();
            return apply(
                    LogStartChange.retention(segments, logStartOffset, published.highWatermark(), config, now), now);
        } catch (IOException e) {
            throw storageFailure("Retention of " + topicPartition, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes every record before {@code beforeOffset} (Kafka's DeleteRecords): moves the log start offset up to it,
     * so reads below it fail with {@link OffsetOutOfRangeException} and ListOffsets EARLIEST answers it, forgets the
     * producers whose batches all lie below it and the producer-state snapshots there, and takes out every segment
     * wholly below it, renamed {@code .deleted}, for the caller to delete after {@code file.delete.delay.ms}. An
     * offset at or below the log start changes nothing. The new start is in memory only: the caller makes it
     * durable ({@code LogManager} writes the directory's {@code log-start-offset-checkpoint}) before it answers.
     *
     * @param beforeOffset an offset from 0 to the high watermark, or -1 for the high watermark
     * @return the log start offset after the call, and the segments taken out
     * @throws io.weir.common.errors.PolicyViolationException the log's cleanup policy is {@code compact} only
     * @throws OffsetOutOfRangeException {@code beforeOffset} is past the high watermark, or negative other than -1
     * @throws LogDirFailureException    the directory is offline, or a rename or snapshot deletion failed and took it
     *                                   offline
     * @throws KafkaStorageException     the log is closed
     */
    public LogStartAdvance deleteRecordsBefore(long beforeOffset) {
        lock.lock();
        try {
            ensureOpen();
            LogStartChange change = LogStartChange.deleteRecords(
                    topicPartition,
                    segments,
                    logStartOffset,
                    published.highWatermark(),
                    logEndOffset,
                    config,
                    beforeOffset);
            List<DeletedSegment> removed = apply(change, time.milliseconds());
            return new LogStartAdvance(logStartOffset, removed);
        } catch (IOException e) {
            throw storageFailure("Deletion of the records of " + topicPartition + " before offset " + beforeOffset, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@link #deleteRecordsBefore} did.
     *
     * @param logStartOffset the log start offset after the call
     * @param removed        the segments taken out, for the directory's {@link SegmentDeleter}
     */
    public record LogStartAdvance(long logStartOffset, List<DeletedSegment> removed) {}

    /**
     * Moves the log start and takes out the segments {@code change} names. The start moves first, so a reader that
     * comes after it is refused below it rather than finding its segment gone. Caller holds {@code lock}.
     */
    private List<DeletedSegment> apply(LogStartChange change, long now) throws IOException {
        if (change.logStartOffset() > logStartOffset) {
            logStartOffset = change.logStartOffset();
            producerState.onLogStartAdvanced(logStartOffset);
            // The last stable offset never lies below the log start. The high watermark stays: bytes appended but
            // not yet synced by a group commit must not become visible here.
            PublishedOffsets current = published;
            published = new PublishedOffsets(
                    current.highWatermark(),
                    current.segmentBaseOffset(),
                    current.position(),
                    lastStableBelow(current.highWatermark()));
        }
        List<DeletedSegment> deleted = new ArrayList<>();
        long deleteAt = now + config.fileDeleteDelayMs();
        for (LogSegment segment : change.removed()) {
            segments.remove(segment.baseOffset);
            segment.markDeleted();
            directoryDirty = true;
            deleted.add(new DeletedSegment(segment, deleteAt));
        }
        return deleted;
    }

    // ---- compaction ---------------------------------------------------------------------------------------

    /**
     * What the log cleaner may clean now, given the first dirty offset it checkpointed: the segments wholly
     * below the first uncleanable offset, which is the base of the segment holding the lowest of the last
     * stable offset, the active segment's base and, with {@code min.compaction.lag.ms}, the first dirty
     * segment holding a record younger than the lag. Null when the log is closed or not compacted.
     */
    CleanableRange cleanableRange(long checkpointedFirstDirty, long nowMs) {
        lock.lock();
        try {
            LogConfig cfg = config;
            if (closed || context.failures().isOffline() || !cfg.compacts()) {
                return null;
            }
            long start = logStartOffset;
            long firstDirty = checkpointedFirstDirty < start || checkpointedFirstDirty > logEndOffset
                    ? start
                    : checkpointedFirstDirty;
            long limit = Math.min(published.lastStableOffset(), segments.lastKey());
            Long dirtyBase = segments.floorKey(firstDirty);
            if (cfg.minCompactionLagMs() > 0 && dirtyBase != null) {
                for (LogSegment segment : segments.tailMap(dirtyBase).values()) {
                    if (segment.baseOffset >= limit) {
                        break;
                    }
                    if (segment.maxTimestamp() > nowMs - cfg.minCompactionLagMs()) {
                        limit = segment.baseOffset;
                        break;
                    }
                }
            }
            long firstUncleanable = segments.floorKey(limit);
            List<LogSegment> below =
                    new ArrayList<>(segments.headMap(firstUncleanable, false).values());
            long cleanBytes = 0;
            long dirtyBytes = 0;
            long firstDirtyTimestamp = -1L;
            for (LogSegment segment : below) {
                Long next = segments.higherKey(segment.baseOffset);
                if (next != null && next <= firstDirty) {
                    cleanBytes += segment.size();
                } else {
                    dirtyBytes += segment.size();
                    if (firstDirtyTimestamp < 0) {
                        firstDirtyTimestamp = segment.rollingBaseTimestamp();
                    }
                }
            }
            boolean compactionDue = dirtyBytes > 0
                    && firstDirtyTimestamp >= 0
                    && nowMs - firstDirtyTimestamp > cfg.maxCompactionLagMs();
            return new CleanableRange(
                    this,
                    start,
                    Math.min(firstDirty, firstUncleanable),
                    firstUncleanable,
                    below,
                    cleanBytes,
                    dirtyBytes,
                    compactionDue);
        } finally {
            lock.unlock();
        }
    }

    /** Whether every one of {@code expected} is still one of this log's segments, and the log is open. */
    boolean holdsAll(List<LogSegment> expected) {
        if (closed) {
            return false;
        }
        for (LogSegment segment : expected) {
            if (segments.get(segment.baseOffset) != segment) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces {@code olds}, consecutive segments covering {@code [olds[0].base, end)}, with the cleaned segment
     * written at the first one's base (see {@link SegmentSwap}), unless one of them is no longer in the log
     * (retention removed it meanwhile) or the log closed; then it returns null and the caller discards the
     * cleaned files. On success the old segments are returned, renamed {@code .deleted}, for the caller to
     * delete after {@code file.delete.delay.ms}. {@code hook} sees each step, so tests can stop there as a crash
     * would. Every step writes or syncs, so an I/O failure takes the log's directory offline (see
     * {@link LogDirFailureChannel}); once the swap is committed the files are also in a state only recovery
     * sorts out. Before, nothing changed in the log and the caller discards the cleaned files.
     *
     * @throws LogDirFailureException a step failed; the log's directory is now offline
     */
    List<DeletedSegment> replaceSegments(List<LogSegment> olds, long end, CleanerHook hook) {
        long base = olds.get(0).baseOffset;
        lock.lock();
        try {
            if (closed || context.failures().isOffline()) {
                return null;
            }
            for (LogSegment old : olds) {
                if (segments.get(old.baseOffset) != old) {
                    return null;
                }
            }
            swapGeneration++; // odd: readers that overlap the swap retry (see swappedSince)
            try {
                SegmentSwap.commit(dir, base, end, context.channels());
                hook.reached(CleanerHook.Step.SWAP_COMMITTED);
                long now = time.milliseconds();
                List<DeletedSegment> retired = new ArrayList<>();
                for (LogSegment old : olds) {
                    old.markDeleted();
                    retired.add(new DeletedSegment(old, now + config.fileDeleteDelayMs()));
                    hook.reached(CleanerHook.Step.OLD_SEGMENT_RETIRED);
                }
                SegmentSwap.install(dir, base, context.channels());
                hook.reached(CleanerHook.Step.CLEANED_INSTALLED);
                LogSegment cleaned = LogSegment.open(dir, base, config, context.channels());
                segments.put(base, cleaned);
                for (LogSegment old : olds) {
                    if (old.baseOffset != base) {
                        segments.remove(old.baseOffset);
                    }
                }
                SegmentSwap.finish(dir, base, context.channels());
                // The high watermark and last stable offset stay as the writer published them. Readers bound
                // their bytes by the (segment, position) published with them: if that segment was just replaced
                // (a roll not yet published), point at the cleaned one, which lies wholly below both.
                PublishedOffsets p = published;
                if (p.segmentBaseOffset() >= base && p.segmentBaseOffset() < end) {
                    published = new PublishedOffsets(p.highWatermark(), base, cleaned.size(), p.lastStableOffset());
                }
                return retired;
            } catch (IOException e) {
                throw storageFailure("Swap of cleaned segment " + base + " into " + topicPartition, e);
            } finally {
                swapGeneration++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Even between cleaner swaps, odd during one; for {@link #swappedSince}. */
    public long swapGeneration() {
        return swapGeneration;
    }

    /**
     * Whether a cleaner swap ran (or is running) since {@code generation} was read. A reader that reads batches
     * and then their aborted transactions checks this afterwards and, if so, reads again: otherwise it could
     * return an old segment's aborted batches with the index of the new segment, from which their entry may be
     * gone. Waits for a swap in progress to finish before answering, so a retry does not spin.
     */
    public boolean swappedSince(long generation) {
        if ((generation & 1) == 0 && swapGeneration == generation) {
            return false;
        }
        lock.lock();
        lock.unlock();
        return true;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("The log of " + topicPartition + " is closed");
        }
        if (context.failures().isOffline()) { // the message is built only then: every append passes here
            context.failures().ensureOnline("Write to " + topicPartition);
        }
    }

    /**
     * Whether a write or sync failed in this log's directory, on this log or another; it then refuses appends
     * and reads until the broker restarts.
     */
    public boolean isOffline() {
        return context.failures().isOffline();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * For requests answered from memory (the log start offset, the high watermark), which must refuse an
     * offline partition as reads from disk do.
     *
     * @throws LogDirFailureException naming {@code operation}, when the log's directory is offline
     */
    public void ensureOnline(String operation) {
        context.failures().ensureOnline(operation);
    }

    /**
     * Syncs and closes every segment, leaving a producer-state snapshot at the log end. Idempotent. Once the
     * log's directory is offline — before or because of a failure here — nothing more is written: the files
     * are closed as they are, for the next open to recover, and close returns normally (the failure was
     * reported where it happened).
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (!context.failures().isOffline()) {
                    flush();
                    // Lets the next open restore the producer state without replaying anything.
                    producerState.takeSnapshot(logEndOffset, recoveryPoint);
                }
            } catch (IOException e) {
                storageFailure("Producer-state snapshot of " + topicPartition + " on close", e);
            } catch (LogDirFailureException e) {
                // the flush took the directory offline; the channel has it, and the files stay as they are
            }
            closed = true;
            for (LogSegment segment : segments.values()) {
                try {
                    if (context.failures().isOffline()) {
                        segment.closeWithoutFlush();
                    } else {
                        segment.close();
                    }
                } catch (IOException e) {
                    storageFailure("Close of " + topicPartition, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes without syncing or a snapshot, as a crash would leave things (tests). */
    public void closeWithoutFlush() {
        closed = true;
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
            throw new KafkaStorageException(
                    "Could not delete the log of " + topicPartition + " in " + dir + ": " + e, e);
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
        PublishedOffsets offsets = published;
        return "Log(" + topicPartition + ", start=" + logStartOffset + ", lso=" + offsets.lastStableOffset() + ", hw="
                + offsets.highWatermark() + ", end=" + logEndOffset + ")";
    }
}
