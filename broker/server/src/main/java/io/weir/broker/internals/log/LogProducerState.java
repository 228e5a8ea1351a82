package io.weir.broker.internals.log;

import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.errors.InvalidTxnStateException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.TransactionCoordinatorFencedException;
import io.weir.common.errors.UnknownProducerIdException;
import io.weir.common.errors.WeirException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatches;
import io.weir.common.utils.Time;
import io.weir.transactions.CompletedTxn;
import io.weir.transactions.MarkerVerdict;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.ProducerStateEntry;
import io.weir.transactions.ProducerStateManager;
import io.weir.transactions.TransactionResult;
import io.weir.transactions.Verdict;
import io.weir.transactions.errors.CorruptSnapshotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition log's producer state: the {@link ProducerStateManager} state machine wired to the log's record
 * batches and to its {@link ProducerStateSnapshots}. It decides, before anything is written, what an append
 * does to the state ({@link #check}), commits that once the log has written it ({@link #commit}), rebuilds the
 * state on open from the newest usable snapshot plus the log after it ({@link #load}), and snapshots it when
 * a segment rolls or the log closes.
 *
 * <p>Invariant: once loaded, {@code state.endOffset()} equals the log end offset after every append, since
 * every append is committed here, batches without a producer id included. That is what lets a snapshot be
 * written at any roll.
 *
 * <p>Threading: every method runs under the owning {@link Log}'s lock, or during {@link Log#open} before the
 * log is published.
 */
final class LogProducerState {
    private static final Logger LOG = LoggerFactory.getLogger(LogProducerState.class);
    private static final int REPLAY_READ_BYTES = 1 << 20;

    private final TopicPartition topicPartition;
    private final ProducerStateManager state;
    private final ProducerStateSnapshots snapshots;

    private LogProducerState(
            TopicPartition topicPartition, ProducerStateManager state, ProducerStateSnapshots snapshots) {
        this.topicPartition = topicPartition;
        this.state = state;
        this.snapshots = snapshots;
    }

    // ---- appends -------------------------------------------------------------------------------------------

    /** What one append does to the producer state, decided before anything is written. */
    sealed interface Pending {}

    /** Batches without a producer id: they only move the state's end offset. */
    record Plain() implements Pending {}

    /** A producer's batch (sequenced, or the coordinator's without a sequence) to append. */
    record Data(Verdict.Append append) implements Pending {}

    /** A resend of a batch the log holds: acknowledged with the original's offsets, nothing written. */
    record Duplicate(Verdict.Duplicate duplicate) implements Pending {}

    /** A transaction marker to append. */
    record Marker(MarkerVerdict.EndTxn endTxn) implements Pending {}

    private static final Plain PLAIN = new Plain();

    /**
     * Checks the batches of one append against the producer state, changing nothing. A batch with a producer
     * id (idempotent, transactional or a marker) must be the only batch of its append, so that one verdict
     * covers it; only the coordinator may write markers and batches without a sequence.
     *
     * @throws InvalidRecordException                a client's control batch, a producer's batch sharing its
     *                                               append, or producer fields that contradict each other
     * @throws OutOfOrderSequenceException           a sequence gap or a too-old resend
     * @throws InvalidProducerEpochException         an epoch below the producer's
     * @throws UnknownProducerIdException            no state for the producer and the batch does not start at 0
     * @throws InvalidTxnStateException              a non-transactional batch while its transaction is open
     * @throws TransactionCoordinatorFencedException a marker from a coordinator older than the last one
     */
    Pending check(ByteBuffer batches, AppendOrigin origin) {
        RecordBatch batch = null;
        int count = 0;
        for (RecordBatch next : RecordBatches.iterable(batches)) {
            count++;
            if (next.producerId() != RecordBatch.NO_PRODUCER_ID || next.isTransactional() || next.isControl()) {
                batch = next;
            }
        }
        if (batch == null) {
            return PLAIN;
        }
        if (count > 1) {
            throw new InvalidRecordException("An append to " + topicPartition + " carries " + count + " batches, "
                    + describe(batch) + " among them; a batch with a producer id must be the only one of its request");
        }
        if (batch.producerId() < 0 || batch.producerEpoch() < 0 || batch.baseSequence() < RecordBatch.NO_SEQUENCE) {
            throw new InvalidRecordException("Batch for " + topicPartition + " has inconsistent producer fields: "
                    + describe(batch) + "; a transactional or control batch needs a producer id and an epoch, and "
                    + "sequences are never below -1");
        }
        if (batch.isControl()) {
            return checkMarker(batch, origin);
        }
        Verdict verdict;
        if (batch.baseSequence() == RecordBatch.NO_SEQUENCE) {
            if (origin == AppendOrigin.CLIENT || !batch.isTransactional()) {
                throw new InvalidRecordException("Batch for " + topicPartition + " has a producer id but no sequence: "
                        + describe(batch) + "; only the coordinator's transactional batches go without one");
            }
            verdict = state.checkCoordinatorBatch(batch.producerId(), batch.producerEpoch());
        } else {
            verdict = state.check(
                    batch.producerId(),
                    batch.producerEpoch(),
                    batch.baseSequence(),
                    batch.lastSequence(),
                    batch.isTransactional());
        }
        if (verdict instanceof Verdict.Append append) {
            return new Data(append);
        }
        if (verdict instanceof Verdict.Duplicate duplicate) {
            return new Duplicate(duplicate);
        }
        throw refused(describe(batch), (Verdict.Rejected) verdict);
    }

    private Pending checkMarker(RecordBatch batch, AppendOrigin origin) {
        if (origin == AppendOrigin.CLIENT) {
            throw new InvalidRecordException("A client may not write control batches to " + topicPartition + ": "
                    + describe(batch) + "; transaction markers come only from the transaction coordinator");
        }
        if (batch.coordinatorEpoch() < 0) {
            throw new InvalidRecordException("Marker for " + topicPartition + " has coordinator epoch "
                    + batch.coordinatorEpoch() + ": " + describe(batch) + "; coordinator epochs are never negative");
        }
        TransactionResult result = resultOf(batch);
        MarkerVerdict verdict =
                state.checkMarker(batch.producerId(), batch.producerEpoch(), batch.coordinatorEpoch(), result);
        if (verdict instanceof MarkerVerdict.EndTxn endTxn) {
            return new Marker(endTxn);
        }
        throw refused(
                "the " + result + " marker of producer " + batch.producerId() + " (epoch " + batch.producerEpoch()
                        + ", coordinator epoch " + batch.coordinatorEpoch() + ")",
                (MarkerVerdict.Rejected) verdict);
    }

    /**
     * Commits {@code pending} once the log wrote its batches at {@code firstOffset..lastOffset}. Must not be
     * called for a {@link Duplicate}, which writes nothing.
     *
     * @return the transaction a marker ended, if it ended one
     */
    Optional<CompletedTxn> commit(Pending pending, long firstOffset, long lastOffset, long maxTimestamp) {
        if (pending instanceof Data data) {
            state.apply(data.append(), firstOffset, lastOffset, maxTimestamp);
        } else if (pending instanceof Marker marker) {
            return state.applyMarker(marker.endTxn(), firstOffset, maxTimestamp);
        } else if (pending instanceof Plain) {
            state.advanceEndOffset(lastOffset + 1);
        } else {
            throw new IllegalStateException("nothing to commit for " + pending + " on " + topicPartition);
        }
        return Optional.empty();
    }

    /** The index entry of a transaction a marker just aborted, with the partition's stable offset after it. */
    AbortedTxn abortedEntry(CompletedTxn aborted) {
        long lastStable = state.firstUnstableOffset().orElse(aborted.lastOffset() + 1);
        return new AbortedTxn(aborted.producerId(), aborted.firstOffset(), aborted.lastOffset(), lastStable);
    }

    private WeirException refused(String what, Verdict.Rejected rejected) {
        if (rejected instanceof Verdict.Fenced fenced) {
            return new InvalidProducerEpochException(
                    topicPartition, what, fenced.producerId(), fenced.currentEpoch(), fenced.receivedEpoch());
        }
        if (rejected instanceof Verdict.OutOfOrder outOfOrder) {
            return new OutOfOrderSequenceException(
                    topicPartition,
                    what,
                    outOfOrder.producerId(),
                    outOfOrder.epoch(),
                    outOfOrder.expectedSeq(),
                    outOfOrder.receivedSeq());
        }
        if (rejected instanceof Verdict.UnknownProducerId unknown) {
            return new UnknownProducerIdException(topicPartition, what, unknown.producerId(), unknown.receivedSeq());
        }
        Verdict.InvalidTxnState invalid = (Verdict.InvalidTxnState) rejected;
        return new InvalidTxnStateException(
                topicPartition, what, invalid.producerId(), invalid.transactionFirstOffset());
    }

    private WeirException refused(String what, MarkerVerdict.Rejected rejected) {
        if (rejected instanceof Verdict.Fenced fenced) {
            return refused(what, (Verdict.Rejected) fenced);
        }
        return new TransactionCoordinatorFencedException(
                topicPartition + " refused " + what + ": "
                        + rejected.toException().getMessage(),
                rejected.toException());
    }

    private static TransactionResult resultOf(RecordBatch marker) {
        return marker.controlType() == ControlRecordType.COMMIT ? TransactionResult.COMMIT : TransactionResult.ABORT;
    }

    private static String describe(RecordBatch batch) {
        return (batch.isControl() ? "control batch" : batch.isTransactional() ? "transactional batch" : "batch")
                + " of producer " + batch.producerId() + " at epoch " + batch.producerEpoch()
                + " with sequences " + batch.baseSequence() + ".." + batch.lastSequence();
    }

    // ---- reading and maintenance ---------------------------------------------------------------------------

    OptionalLong firstUnstableOffset() {
        return state.firstUnstableOffset();
    }

    Map<Long, ProducerStateEntry> producers() {
        return state.producers();
    }

    int removeExpired() {
        return state.removeExpired();
    }

    /** As {@link #removeExpired()}, as a check at {@code nowMs} would have. */
    int removeExpired(long nowMs) {
        return state.removeExpired(nowMs);
    }

    /**
     * Forgets the snapshots below the new log start (retention or DeleteRecords) and moves the state's end up to it.
     * Producers stay, as in Kafka since KIP-360: one whose batches all lie below the start may still be writing (a
     * streams thread whose repartition records are purged right after its commit), and forgetting it would refuse
     * its next batch as UNKNOWN_PRODUCER_ID. Producers leave by {@code producer.id.expiration.ms} only. A reopen
     * restores from a snapshot at or above the start, or replays the log from the start.
     */
    void onLogStartAdvanced(long logStartOffset) throws IOException {
        state.advanceEndOffset(logStartOffset);
        snapshots.deleteOutside(logStartOffset, Long.MAX_VALUE);
    }

    /**
     * Writes a snapshot at the state's end offset, which must be the log end offset, then drops the snapshots
     * no longer worth keeping (see {@link ProducerStateSnapshots}).
     */
    void takeSnapshot(long logEndOffset, long recoveryPoint) throws IOException {
        if (state.endOffset() != logEndOffset) {
            throw new IllegalStateException("producer state of " + topicPartition + " ends at " + state.endOffset()
                    + " but the log at " + logEndOffset + "; a snapshot would not match its offset");
        }
        snapshots.write(logEndOffset, state.snapshot());
        snapshots.retain(recoveryPoint);
    }

    // ---- loading -------------------------------------------------------------------------------------------

    /**
     * Rebuilds the producer state of a freshly opened log: restores the newest snapshot between
     * {@code logStartOffset} and the log end (deleting the ones outside, which a truncation or retention made
     * useless, and any that is corrupt, with a warning), or starts empty at {@code logStartOffset}; then cuts the
     * aborted-transaction indexes back to the snapshot's offset and replays every batch from there to the log end,
     * which re-indexes the transactions the replayed markers abort.
     *
     * @param logStartOffset where the state may start: a segment base (the one holding the log start), so that no
     *                       batch straddles it
     */
    static LogProducerState load(
            TopicPartition topicPartition,
            Path dir,
            ProducerStateConfig config,
            Time clock,
            NavigableMap<Long, LogSegment> segments,
            long logStartOffset,
            long logEndOffset,
            FileChannelFactory channels)
            throws IOException {
        ProducerStateSnapshots snapshots = ProducerStateSnapshots.scan(dir, channels);
        snapshots.deleteOutside(logStartOffset, logEndOffset);
        ProducerStateManager state = null;
        for (long offset : snapshots.newestFirst()) {
            try {
                ProducerStateManager restored = ProducerStateManager.restore(snapshots.read(offset), config, clock);
                if (restored.endOffset() != offset) {
                    throw new CorruptSnapshotException("its body says offset " + restored.endOffset());
                }
                state = restored;
                break;
            } catch (CorruptSnapshotException e) {
                LOG.warn("Deleting the corrupt producer-state snapshot "
                        + snapshots.path(offset) + " of " + topicPartition + " and falling back to an older one: "
                        + e.getMessage());
                snapshots.delete(offset);
            }
        }
        if (state == null) {
            state = ProducerStateManager.create(config, clock);
            state.advanceEndOffset(logStartOffset);
        }
        LogProducerState loaded = new LogProducerState(topicPartition, state, snapshots);
        loaded.replay(segments, state.endOffset());
        return loaded;
    }

    /**
     * Replays every batch from {@code from} to the end of the last segment. Each batch is checked as it is read
     * (header, order of offsets, CRC), so a damaged one fails the open naming its file and byte position, and
     * every read starts past the previous one's batches: the work is bounded by the bytes replayed.
     */
    private void replay(NavigableMap<Long, LogSegment> segments, long from) throws IOException {
        Long floor = segments.floorKey(from);
        for (LogSegment segment :
                segments.tailMap(floor == null ? segments.firstKey() : floor).values()) {
            segment.truncateTxnIndexTo(from);
            Long nextBase = segments.higherKey(segment.baseOffset);
            // The cleaner never rewrites the active segment; a rolled one may have gaps.
            LogSegment.OffsetOrder order =
                    nextBase == null ? LogSegment.OffsetOrder.CONTIGUOUS : LogSegment.OffsetOrder.INCREASING;
            long offsetLimit = nextBase == null ? Long.MAX_VALUE : nextBase;
            long next = Math.max(from, segment.baseOffset);
            while (true) {
                LogSegment.ReadResult read;
                try {
                    read = segment.read(next, REPLAY_READ_BYTES, segment.size(), true, order, offsetLimit);
                } catch (CorruptSegmentException e) {
                    throw e.in(topicPartition);
                }
                if (read == null || !read.batches().hasRemaining()) {
                    break;
                }
                ByteBuffer batches = read.batches();
                int at = batches.position();
                for (RecordBatch batch : RecordBatches.iterable(batches)) {
                    try {
                        batch.ensureValid();
                    } catch (CorruptRecordException e) {
                        throw new CorruptSegmentException(
                                        segment.logPath(),
                                        read.position() + at - batches.position(),
                                        batch.baseOffset(),
                                        "the producer state cannot be rebuilt past it: " + e.getMessage(),
                                        e)
                                .in(topicPartition);
                    }
                    replay(batch, segment);
                    at += batch.sizeInBytes();
                }
                next = read.nextOffset();
            }
        }
    }

    private void replay(RecordBatch batch, LogSegment segment) throws IOException {
        try {
            if (batch.producerId() == RecordBatch.NO_PRODUCER_ID) {
                state.advanceEndOffset(batch.nextOffset());
            } else if (batch.isControl()) {
                Optional<CompletedTxn> completed = state.applyLoadedMarker(
                        batch.producerId(),
                        batch.producerEpoch(),
                        batch.coordinatorEpoch(),
                        resultOf(batch),
                        batch.baseOffset(),
                        batch.maxTimestamp());
                if (completed.isPresent() && completed.get().isAborted()) {
                    segment.appendAbortedTxn(abortedEntry(completed.get()));
                }
            } else {
                state.applyLoaded(
                        batch.producerId(),
                        batch.producerEpoch(),
                        batch.baseSequence(),
                        batch.lastSequence(),
                        batch.isTransactional(),
                        batch.baseOffset(),
                        batch.lastOffset(),
                        batch.maxTimestamp());
            }
        } catch (IllegalArgumentException | WeirException e) {
            throw new KafkaStorageException(
                    "Could not rebuild the producer state of " + topicPartition
                            + " from its batch at offset " + batch.baseOffset() + " (" + describe(batch) + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
