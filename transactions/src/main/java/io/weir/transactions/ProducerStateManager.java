package io.weir.transactions;

import io.weir.common.utils.Time;
import io.weir.transactions.errors.CorruptSnapshotException;
import io.weir.transactions.internals.ProducerStates;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The producer state of one partition, as a pure state machine (Kafka's ProducerStateManager): per producer
 * id the current epoch, the last {@value #RETAINED_BATCHES} batches' sequences and offsets, the latest
 * timestamp, the first offset of its open transaction and the epoch of the coordinator that wrote its last
 * marker. It decides whether a batch is new, a resend, or out of order, whether a transaction marker may end
 * a transaction, and where the partition's first unstable offset lies. It never does I/O: the broker appends,
 * reads back and stores snapshots.
 *
 * <p><b>Validate, then apply.</b> {@link #check}, {@link #checkCoordinatorBatch} and {@link #checkMarker}
 * compute a verdict and change nothing. Only an {@link Verdict.Append} or a {@link MarkerVerdict.EndTxn} leads
 * to a change, and only once the caller has appended the batch to the log and passes the assigned offsets to
 * {@link #apply} or {@link #applyMarker}. A failed append therefore leaves no trace here.
 *
 * <p><b>Invariants.</b> The state reflects exactly the log below {@link #endOffset()}: every batch or marker
 * applied lies at or above it and moves it past its last offset, and {@link #advanceEndOffset} moves it past
 * offsets that carry no producer state (batches without a producer id), so a snapshot can be taken at any
 * log offset. Per producer, the cached batches carry the current epoch and continue one another's sequences,
 * wrapping from Integer.MAX_VALUE to 0. A producer has at most one open transaction, opened by its first
 * transactional batch and ended only by a marker; {@link #firstUnstableOffset()} is the smallest first offset
 * of the open transactions. A producer with an open transaction is never expired nor dropped.
 *
 * <p><b>Threading.</b> Not thread-safe: one instance belongs to its partition, whose owner serialises every
 * call. {@link #producers()}, {@link #producer} and {@link #snapshot()} return immutable values that may be
 * handed to other threads.
 *
 * <p><b>Rebuilding on open.</b> {@link #restore} the latest snapshot (or {@link #create} an empty state if
 * there is none or it is corrupt, then {@link #advanceEndOffset} to the log start), then feed every batch
 * read back from the log, starting at the snapshot's offset or earlier: batches of producers to
 * {@link #applyLoaded}, markers to {@link #applyLoadedMarker}, other batches to {@link #advanceEndOffset}.
 * Whatever the state already reflects is skipped. Producers expired after the snapshot was taken come back
 * from it; the next {@link #removeExpired()} drops them again. The log does not record expiry, so one case
 * reads back differently: a producer that expired just as its sequence reached Integer.MAX_VALUE and
 * restarted at 0 under the same epoch replays as one continuing window, and a resend of a batch from before
 * the restart is then acknowledged as a duplicate (with that batch's real offsets) instead of refused as out
 * of order.
 *
 * <p><b>Snapshot layout</b>, big-endian. Version 1:
 * <pre>
 *  header (10 bytes, outside the CRC)
 *    int16  version        1; read first so that a later format can change everything after it
 *    int32  bodyLength     bytes that follow the header, so truncation is named as such, not as a bad CRC
 *    int32  crc            CRC32C of the body
 *  body
 *    int64  snapshotOffset the state's endOffset(): it reflects every batch below, none at or above
 *    int32  producerCount
 *    producerCount times:
 *      int64  producerId
 *      int16  epoch
 *      int64  lastTimestamp
 *      int64  currentTxnFirstOffset   -1 when no transaction is open
 *      int32  coordinatorEpoch        -1 when none
 *      int8   batchCount              0..5
 *      batchCount times, oldest first:
 *        int32 firstSeq, int32 lastSeq, int64 firstOffset, int64 lastOffset, int64 maxTimestamp
 * </pre>
 * All five batches are kept, unlike Kafka which snapshots only the last one, so that resends are still
 * recognised after a restart. The open transactions, and so the first unstable offset, follow from the
 * entries' {@code currentTxnFirstOffset}.
 */
public interface ProducerStateManager {

    /**
     * Batches remembered per producer. Kafka clients keep at most five requests in flight per connection
     * with idempotence on, so any resend is of one of the last five batches.
     */
    int RETAINED_BATCHES = 5;

    /**
     * The base sequence of a batch that is not part of its producer's sequence: a transactional batch the
     * broker's coordinator writes on the producer's behalf (Kafka's RecordBatch.NO_SEQUENCE).
     */
    int NO_SEQUENCE = -1;

    /** An empty state: no producers, {@code endOffset() == 0}. */
    static ProducerStateManager create(ProducerStateConfig config, Time clock) {
        return ProducerStates.create(config, clock);
    }

    /**
     * The state a {@link #snapshot()} captured, with {@code endOffset()} at the snapshot's offset.
     *
     * @throws CorruptSnapshotException if the bytes are truncated, fail the CRC, have an unknown version, or
     *         describe an impossible state; the message says which
     */
    static ProducerStateManager restore(byte[] snapshot, ProducerStateConfig config, Time clock) {
        return ProducerStates.restore(snapshot, config, clock);
    }

    /**
     * Decides what to do with an idempotent or transactional batch, without side effects. In order: an
     * unknown producer id must start at sequence 0; a lower epoch is fenced; the same epoch and sequences as
     * a cached batch is a duplicate; a higher epoch must start at 0; the same epoch must continue at the last
     * sequence + 1 (0 after Integer.MAX_VALUE); a producer with an open transaction may not write outside it.
     *
     * @param lastSeq the batch's last sequence, {@code firstSeq + records - 1} wrapped past Integer.MAX_VALUE
     * @throws IllegalArgumentException if the id, epoch or a sequence is negative (not an idempotent batch)
     */
    Verdict check(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional);

    /**
     * Decides about a transactional batch the broker's own coordinator writes for a producer (a transactional
     * offset commit), without side effects. It carries no sequence, so only its epoch is checked: a lower one
     * is fenced; a higher one is taken on, after which the producer's next batch must start at sequence 0.
     * Once applied it opens the producer's transaction here unless one is open, so that the first unstable
     * offset covers it until the coordinator's marker.
     *
     * @return an {@link Verdict.Append} with {@link #NO_SEQUENCE} sequences, or a {@link Verdict.Fenced}
     * @throws IllegalArgumentException if the id or epoch is negative
     */
    Verdict checkCoordinatorBatch(long producerId, short epoch);

    /**
     * Commits an {@link Verdict.Append} after the log took the batch at these offsets.
     *
     * @param maxTimestamp the batch's largest record timestamp; the producer's expiry counts from it
     * @throws IllegalStateException if the producer's state changed since {@code pending} was computed
     * @throws IllegalArgumentException if the offsets start below {@link #endOffset()} or, for a batch with
     *         sequences, do not span one offset per sequence of the batch
     */
    void apply(Verdict.Append pending, long firstOffset, long lastOffset, long maxTimestamp);

    /**
     * Decides about a transaction marker (a COMMIT or ABORT control batch from the coordinator), without side
     * effects. A lower producer epoch than the producer's is fenced, then a lower coordinator epoch than the
     * one of its last marker. Anything else is written: a marker with a higher epoch comes from a coordinator
     * that bumped the epoch while fencing the producer, and moves the producer to it; a marker for a producer
     * with no open transaction (or none known at all) ends nothing but is still written, as in Kafka.
     *
     * @throws IllegalArgumentException if the id, epoch or coordinator epoch is negative, or result is null
     */
    MarkerVerdict checkMarker(long producerId, short epoch, int coordinatorEpoch, TransactionResult result);

    /**
     * Commits a {@link MarkerVerdict.EndTxn} after the log took the marker at {@code markerOffset}: ends the
     * producer's open transaction, takes on the marker's epochs (a new producer epoch empties the cached
     * window, so the next batch starts at 0) and counts the producer's expiry from {@code timestamp}.
     *
     * @return the transaction the marker ended, or empty if the producer had none open here
     * @throws IllegalStateException if the producer's state changed since {@code pending} was computed
     * @throws IllegalArgumentException if {@code markerOffset} is below {@link #endOffset()}
     */
    Optional<CompletedTxn> applyMarker(MarkerVerdict.EndTxn pending, long markerOffset, long timestamp);

    /**
     * Replays a batch read back from the log while rebuilding the state. The log is the truth, so sequences
     * are not validated: a batch with another epoch, or one that does not continue the cached sequence (its
     * producer expired and started over), starts a new window. A coordinator's transactional batch replays
     * with {@link #NO_SEQUENCE} as both sequences. Idempotent: a batch below {@link #endOffset()} is already
     * reflected and is skipped.
     *
     * @return whether the batch changed the state
     * @throws IllegalArgumentException if the batch straddles {@link #endOffset()}, which no log can hold, or
     *         has no sequence without being transactional
     */
    boolean applyLoaded(
            long producerId,
            short epoch,
            int firstSeq,
            int lastSeq,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long maxTimestamp);

    /**
     * Replays a marker read back from the log while rebuilding the state, without validating its epochs:
     * the log only holds markers that were accepted. Idempotent like {@link #applyLoaded}.
     *
     * @return the transaction the marker ended, or empty if the producer had none open or the marker lies
     *         below {@link #endOffset()} (already reflected)
     */
    Optional<CompletedTxn> applyLoadedMarker(
            long producerId,
            short epoch,
            int coordinatorEpoch,
            TransactionResult result,
            long markerOffset,
            long timestamp);

    /**
     * Moves {@link #endOffset()} up to {@code offset}: the log below it holds nothing more for this state,
     * as after a batch without a producer id, or at the log start of a state rebuilt without a snapshot.
     * Does nothing if the state already reaches {@code offset}.
     */
    void advanceEndOffset(long offset);

    /** {@link #removeExpired(long)} at the injected clock's time. */
    int removeExpired();

    /**
     * Drops producers with no open transaction whose latest batch's timestamp is at least
     * {@code producer.id.expiration.ms} older than {@code nowMs}.
     *
     * @return how many producers were dropped
     */
    int removeExpired(long nowMs);

    /** The offset after the last batch applied: the state reflects exactly the log below it. */
    long endOffset();

    /**
     * The smallest first offset of an open transaction, empty when none is open. A read_committed reader
     * may not go past it: the partition's last stable offset is this or the high watermark, whichever is
     * lower.
     */
    OptionalLong firstUnstableOffset();

    /** The state of one producer, if the partition has any. */
    Optional<ProducerStateEntry> producer(long producerId);

    /** Every producer's state, as an immutable map. */
    Map<Long, ProducerStateEntry> producers();

    /** The whole state in the layout above, taken at {@link #endOffset()}. */
    byte[] snapshot();
}
