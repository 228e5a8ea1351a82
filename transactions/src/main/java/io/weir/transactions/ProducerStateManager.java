package io.weir.transactions;

import io.weir.transactions.errors.CorruptSnapshotException;
import io.weir.transactions.internals.ProducerStates;
import java.util.Map;
import java.util.Optional;

/**
 * The idempotent-producer state of one partition, as a pure state machine (Kafka's ProducerStateManager):
 * per producer id the current epoch, the last {@value #RETAINED_BATCHES} batches' sequences and offsets, the
 * latest timestamp, and the first offset of its open transaction. It decides whether a batch is new, a
 * resend, or out of order, and it never does I/O: the broker appends, reads back and stores snapshots.
 *
 * <p><b>Validate, then apply.</b> {@link #check} computes a {@link Verdict} and changes nothing. Only an
 * {@link Verdict.Append} leads to a change, and only once the caller has appended the batch to the log and
 * passes the assigned offsets to {@link #apply}. A failed append therefore leaves no trace here.
 *
 * <p><b>Invariants.</b> Every batch applied has offsets at or above {@link #endOffset()} and moves it past
 * its last offset, so the state reflects exactly the idempotent batches below {@code endOffset()}. Per
 * producer, the cached batches carry the current epoch and continue one another's sequences, wrapping from
 * Integer.MAX_VALUE to 0. A producer with an open transaction is never expired.
 *
 * <p><b>Threading.</b> Not thread-safe: one instance belongs to its partition's append thread, which calls
 * every method. {@link #producers()}, {@link #producer} and {@link #snapshot()} return immutable values that
 * may be handed to other threads.
 *
 * <p><b>Rebuilding on open.</b> {@link #restore} the latest snapshot (or {@link #create} an empty state if
 * there is none or it is corrupt), then feed every idempotent batch read back from the log to
 * {@link #applyLoaded}, starting at the snapshot's offset or earlier: batches the state already reflects are
 * skipped. Producers expired after the snapshot was taken come back from it; the next
 * {@link #removeExpired()} drops them again. The log does not record expiry, so one case reads back
 * differently: a producer that expired just as its sequence reached Integer.MAX_VALUE and restarted at 0
 * under the same epoch replays as one continuing window, and a resend of a batch from before the restart is
 * then acknowledged as a duplicate (with that batch's real offsets) instead of refused as out of order.
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
 * recognised after a restart.
 */
public interface ProducerStateManager {

    /**
     * Batches remembered per producer. Kafka clients keep at most five requests in flight per connection
     * with idempotence on, so any resend is of one of the last five batches.
     */
    int RETAINED_BATCHES = 5;

    /** An empty state: no producers, {@code endOffset() == 0}. */
    static ProducerStateManager create(ProducerStateConfig config, Clock clock) {
        return ProducerStates.create(config, clock);
    }

    /**
     * The state a {@link #snapshot()} captured, with {@code endOffset()} at the snapshot's offset.
     *
     * @throws CorruptSnapshotException if the bytes are truncated, fail the CRC, have an unknown version, or
     *         describe an impossible state; the message says which
     */
    static ProducerStateManager restore(byte[] snapshot, ProducerStateConfig config, Clock clock) {
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
     * Commits an {@link Verdict.Append} after the log took the batch at these offsets.
     *
     * @param maxTimestamp the batch's largest record timestamp; the producer's expiry counts from it
     * @throws IllegalStateException if the producer's state changed since {@code pending} was computed
     * @throws IllegalArgumentException if the offsets start below {@link #endOffset()} or do not span one
     *         offset per sequence of the batch
     */
    void apply(Verdict.Append pending, long firstOffset, long lastOffset, long maxTimestamp);

    /**
     * Replays a batch read back from the log while rebuilding the state. The log is the truth, so sequences
     * are not validated: a batch with another epoch, or one that does not continue the cached sequence (its
     * producer expired and started over), starts a new window. Idempotent: a batch below
     * {@link #endOffset()} is already reflected and is skipped.
     *
     * @return whether the batch changed the state
     * @throws IllegalArgumentException if the batch straddles {@link #endOffset()}, which no log can hold
     */
    boolean applyLoaded(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional,
                        long firstOffset, long lastOffset, long maxTimestamp);

    /** {@link #removeExpired(long)} at the injected clock's time. */
    int removeExpired();

    /**
     * Drops producers with no open transaction whose latest batch's timestamp is at least
     * {@code producer.id.expiration.ms} older than {@code nowMs}.
     *
     * @return how many producers were dropped
     */
    int removeExpired(long nowMs);

    /** The offset after the last batch applied: the state reflects exactly the batches below it. */
    long endOffset();

    /** The state of one producer, if the partition has any. */
    Optional<ProducerStateEntry> producer(long producerId);

    /** Every producer's state, as an immutable map. */
    Map<Long, ProducerStateEntry> producers();

    /** The whole state in the layout above, taken at {@link #endOffset()}. */
    byte[] snapshot();
}
