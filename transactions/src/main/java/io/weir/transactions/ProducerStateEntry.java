package io.weir.transactions;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An immutable picture of what one partition knows about one producer id. Every change produces a new
 * entry, so a caller may keep or hand off an entry it was given without copying it.
 *
 * <p>Invariant: {@code batches} holds at most {@link ProducerStateManager#RETAINED_BATCHES} batches, oldest
 * first, all appended under {@code epoch}, each continuing the sequence of the one before it. It may be empty
 * only for an entry that has an epoch but no batch under it yet; the next batch must then start at 0.
 *
 * @param producerId             the producer id
 * @param epoch                  the highest epoch seen; lower ones are fenced
 * @param batches                the cached window of the latest batches, oldest first
 * @param lastTimestamp          max timestamp of the latest batch; expiry counts from here
 * @param currentTxnFirstOffset  first offset of the producer's open transaction on this partition, if any;
 *                               an entry with an open transaction never expires
 * @param coordinatorEpoch       epoch of the transaction coordinator that last wrote a marker for this
 *                               producer, or {@link #NO_COORDINATOR_EPOCH}; kept for marker fencing
 */
public record ProducerStateEntry(
        long producerId,
        short epoch,
        List<BatchMetadata> batches,
        long lastTimestamp,
        OptionalLong currentTxnFirstOffset,
        int coordinatorEpoch) {

    public static final int NO_COORDINATOR_EPOCH = -1;

    /** @throws IllegalArgumentException if an id or epoch is negative, or the window holds too many batches or
     *         batches that do not continue one another */
    public ProducerStateEntry {
        if (producerId < 0 || epoch < 0) {
            throw new IllegalArgumentException("bad producer " + producerId + " epoch " + epoch);
        }
        batches = List.copyOf(batches);
        if (batches.size() > ProducerStateManager.RETAINED_BATCHES) {
            throw new IllegalArgumentException("producer " + producerId + " caches " + batches.size()
                    + " batches, at most " + ProducerStateManager.RETAINED_BATCHES + " allowed");
        }
        for (int i = 1; i < batches.size(); i++) {
            BatchMetadata previous = batches.get(i - 1);
            BatchMetadata batch = batches.get(i);
            if (batch.firstSeq() != nextSequence(previous.lastSeq()) || batch.firstOffset() <= previous.lastOffset()) {
                throw new IllegalArgumentException(
                        "producer " + producerId + ": cached batch " + batch + " does not continue " + previous);
            }
        }
        if (coordinatorEpoch < NO_COORDINATOR_EPOCH) {
            throw new IllegalArgumentException("bad coordinator epoch " + coordinatorEpoch);
        }
    }

    /** The sequence that follows {@code seq}: sequences wrap from Integer.MAX_VALUE to 0, as in Kafka. */
    public static int nextSequence(int seq) {
        return seq == Integer.MAX_VALUE ? 0 : seq + 1;
    }

    /** An entry that knows the epoch but no batch under it yet. */
    public static ProducerStateEntry empty(long producerId, short epoch) {
        return new ProducerStateEntry(producerId, epoch, List.of(), -1L, OptionalLong.empty(), NO_COORDINATOR_EPOCH);
    }

    /** The last sequence appended under {@link #epoch}, or -1 if none, so that the next expected is 0. */
    public int lastSeq() {
        return batches.isEmpty() ? -1 : batches.get(batches.size() - 1).lastSeq();
    }

    /**
     * The newest cached batch with exactly these sequences, if the window still holds one. Newest, because a
     * window whose batches cover all 2^31 sequences can hold the same range twice, and only the later batch
     * can still be unacknowledged.
     */
    public Optional<BatchMetadata> batchWithSequences(int firstSeq, int lastSeq) {
        for (int i = batches.size() - 1; i >= 0; i--) {
            if (batches.get(i).hasSequences(firstSeq, lastSeq)) {
                return Optional.of(batches.get(i));
            }
        }
        return Optional.empty();
    }

    public boolean hasOpenTransaction() {
        return currentTxnFirstOffset.isPresent();
    }
}
