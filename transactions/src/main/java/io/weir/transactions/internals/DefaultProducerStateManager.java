package io.weir.transactions.internals;

import io.weir.common.utils.Time;
import io.weir.transactions.BatchMetadata;
import io.weir.transactions.CompletedTxn;
import io.weir.transactions.MarkerVerdict;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.ProducerStateEntry;
import io.weir.transactions.ProducerStateManager;
import io.weir.transactions.TransactionResult;
import io.weir.transactions.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The one implementation of {@link ProducerStateManager}; its contract, invariants and threading are
 * documented there. Entries are immutable, so a change is a map put of a new entry and a value handed out
 * can never change under its holder.
 *
 * <p>Every change of an entry goes through {@link #put} or {@link #removeIf}, which keep {@code ongoing} (the
 * open transactions by first offset) in step with the entries, so {@link #firstUnstableOffset()} is the
 * first key of a sorted map rather than a scan of every producer.
 *
 * <p>The live path and the replay path share {@link #afterAppend} and {@link #afterMarker}: once a check has
 * admitted a batch, "starts a new window unless it continues the cached one under the same epoch" is exactly
 * what the live path does too, which is why a state rebuilt from the log agrees with the one that was lost.
 */
final class DefaultProducerStateManager implements ProducerStateManager {
    private final ProducerStateConfig config;
    private final Time clock;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** First offset of each open transaction, to its producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();

    private long endOffset;

    DefaultProducerStateManager(ProducerStateConfig config, Time clock, ProducerStateSnapshot initial) {
        this.config = config;
        this.clock = clock;
        initial.producers().values().forEach(this::put);
        this.endOffset = initial.snapshotOffset();
    }

    // ---- checks ----------------------------------------------------------------------------------------------

    @Override
    public Verdict check(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional) {
        if (producerId < 0 || epoch < 0 || firstSeq < 0 || lastSeq < 0) {
            throw new IllegalArgumentException("not an idempotent batch: producer " + producerId + " epoch " + epoch
                    + " sequences " + firstSeq + ".." + lastSeq);
        }
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            // With no state we cannot tell a continuation from a gap; only a fresh start is safe to accept.
            return firstSeq == 0
                    ? new Verdict.Append(producerId, epoch, firstSeq, lastSeq, transactional, Optional.empty())
                    : new Verdict.UnknownProducerId(producerId, firstSeq);
        }
        if (epoch < entry.epoch()) {
            return new Verdict.Fenced(producerId, entry.epoch(), epoch);
        }
        if (epoch == entry.epoch()) {
            Optional<BatchMetadata> original = entry.batchWithSequences(firstSeq, lastSeq);
            if (original.isPresent()) {
                return new Verdict.Duplicate(producerId, epoch, original.get());
            }
        }
        // A new epoch resets the sequence, so its first batch must start at 0 (Kafka also lets a bumped
        // transactional producer continue; Weir's clients always restart at 0).
        int expected = epoch > entry.epoch() ? 0 : ProducerStateEntry.nextSequence(entry.lastSeq());
        if (firstSeq != expected) {
            return new Verdict.OutOfOrder(producerId, epoch, expected, firstSeq);
        }
        if (!transactional && entry.hasOpenTransaction()) {
            return new Verdict.InvalidTxnState(
                    producerId, entry.currentTxnFirstOffset().getAsLong());
        }
        return new Verdict.Append(producerId, epoch, firstSeq, lastSeq, transactional, Optional.of(entry));
    }

    @Override
    public Verdict checkCoordinatorBatch(long producerId, short epoch) {
        if (producerId < 0 || epoch < 0) {
            throw new IllegalArgumentException("not a producer's batch: producer " + producerId + " epoch " + epoch);
        }
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && epoch < entry.epoch()) {
            return new Verdict.Fenced(producerId, entry.epoch(), epoch);
        }
        return new Verdict.Append(producerId, epoch, NO_SEQUENCE, NO_SEQUENCE, true, Optional.ofNullable(entry));
    }

    @Override
    public MarkerVerdict checkMarker(long producerId, short epoch, int coordinatorEpoch, TransactionResult result) {
        if (producerId < 0 || epoch < 0 || coordinatorEpoch < 0 || result == null) {
            throw new IllegalArgumentException("not a transaction marker: producer " + producerId + " epoch " + epoch
                    + " coordinator epoch " + coordinatorEpoch + " result " + result);
        }
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null) {
            if (epoch < entry.epoch()) {
                return new Verdict.Fenced(producerId, entry.epoch(), epoch);
            }
            if (coordinatorEpoch < entry.coordinatorEpoch()) {
                return new MarkerVerdict.CoordinatorFenced(producerId, entry.coordinatorEpoch(), coordinatorEpoch);
            }
        }
        return new MarkerVerdict.EndTxn(producerId, epoch, coordinatorEpoch, result, Optional.ofNullable(entry));
    }

    // ---- applying ------------------------------------------------------------------------------------------

    @Override
    public void apply(Verdict.Append pending, long firstOffset, long lastOffset, long maxTimestamp) {
        boolean sequenced = pending.firstSeq() != NO_SEQUENCE;
        // Re-deriving the verdict costs a scan of five batches and refuses an Append computed against an
        // older state (a second check before the first apply) or built by hand.
        Verdict now = sequenced
                ? check(
                        pending.producerId(),
                        pending.epoch(),
                        pending.firstSeq(),
                        pending.lastSeq(),
                        pending.transactional())
                : checkCoordinatorBatch(pending.producerId(), pending.epoch());
        if (!now.equals(pending)) {
            throw new IllegalStateException("stale append for producer " + pending.producerId() + ": computed as "
                    + pending + ", the current state answers " + now);
        }
        requireOffsets(pending.producerId(), firstOffset, lastOffset);
        if (sequenced) {
            long sequences = sequenceCount(pending.firstSeq(), pending.lastSeq());
            if (lastOffset - firstOffset + 1 != sequences) {
                throw new IllegalArgumentException("producer " + pending.producerId() + ": sequences "
                        + pending.firstSeq() + ".." + pending.lastSeq() + " need " + sequences + " offsets, got "
                        + firstOffset + ".." + lastOffset);
            }
        }
        ProducerStateEntry base =
                pending.basedOn().orElseGet(() -> ProducerStateEntry.empty(pending.producerId(), pending.epoch()));
        put(afterAppend(
                base,
                pending.epoch(),
                pending.firstSeq(),
                pending.lastSeq(),
                pending.transactional(),
                firstOffset,
                lastOffset,
                maxTimestamp));
        endOffset = lastOffset + 1;
    }

    @Override
    public Optional<CompletedTxn> applyMarker(MarkerVerdict.EndTxn pending, long markerOffset, long timestamp) {
        MarkerVerdict now =
                checkMarker(pending.producerId(), pending.epoch(), pending.coordinatorEpoch(), pending.result());
        if (!now.equals(pending)) {
            throw new IllegalStateException("stale marker for producer " + pending.producerId() + ": computed as "
                    + pending + ", the current state answers " + now);
        }
        requireOffsets(pending.producerId(), markerOffset, markerOffset);
        ProducerStateEntry base =
                pending.basedOn().orElseGet(() -> ProducerStateEntry.empty(pending.producerId(), pending.epoch()));
        return endTransaction(
                base, pending.epoch(), pending.coordinatorEpoch(), pending.result(), markerOffset, timestamp);
    }

    @Override
    public boolean applyLoaded(
            long producerId,
            short epoch,
            int firstSeq,
            int lastSeq,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long maxTimestamp) {
        if ((firstSeq == NO_SEQUENCE || lastSeq == NO_SEQUENCE) && (firstSeq != lastSeq || !transactional)) {
            throw new IllegalArgumentException("producer " + producerId + ": batch at offsets " + firstOffset + ".."
                    + lastOffset + " has sequences " + firstSeq + ".." + lastSeq
                    + "; only a coordinator's transactional batch goes without a sequence");
        }
        if (lastOffset < endOffset) {
            return false;
        }
        requireOffsets(producerId, firstOffset, lastOffset);
        ProducerStateEntry base = producers.get(producerId);
        if (base == null) {
            base = ProducerStateEntry.empty(producerId, epoch);
        }
        put(afterAppend(base, epoch, firstSeq, lastSeq, transactional, firstOffset, lastOffset, maxTimestamp));
        endOffset = lastOffset + 1;
        return true;
    }

    @Override
    public Optional<CompletedTxn> applyLoadedMarker(
            long producerId,
            short epoch,
            int coordinatorEpoch,
            TransactionResult result,
            long markerOffset,
            long timestamp) {
        if (markerOffset < endOffset) {
            return Optional.empty();
        }
        ProducerStateEntry base = producers.get(producerId);
        if (base == null) {
            base = ProducerStateEntry.empty(producerId, epoch);
        }
        return endTransaction(base, epoch, coordinatorEpoch, result, markerOffset, timestamp);
    }

    private Optional<CompletedTxn> endTransaction(
            ProducerStateEntry base,
            short epoch,
            int coordinatorEpoch,
            TransactionResult result,
            long markerOffset,
            long timestamp) {
        put(afterMarker(base, epoch, coordinatorEpoch, timestamp));
        endOffset = markerOffset + 1;
        OptionalLong first = base.currentTxnFirstOffset();
        return first.isPresent()
                ? Optional.of(new CompletedTxn(base.producerId(), first.getAsLong(), markerOffset, result))
                : Optional.empty();
    }

    @Override
    public void advanceEndOffset(long offset) {
        endOffset = Math.max(endOffset, offset);
    }

    // ---- removal -------------------------------------------------------------------------------------------

    @Override
    public int removeExpired() {
        return removeExpired(clock.milliseconds());
    }

    @Override
    public int removeExpired(long nowMs) {
        // An open transaction pins its producer: the coordinator's marker must still find the entry.
        return removeIf(entry ->
                !entry.hasOpenTransaction() && nowMs - entry.lastTimestamp() >= config.producerIdExpirationMs());
    }

    // ---- reading -------------------------------------------------------------------------------------------

    @Override
    public long endOffset() {
        return endOffset;
    }

    @Override
    public OptionalLong firstUnstableOffset() {
        return ongoing.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ongoing.firstKey());
    }

    @Override
    public Optional<ProducerStateEntry> producer(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    @Override
    public Map<Long, ProducerStateEntry> producers() {
        return Map.copyOf(producers);
    }

    @Override
    public byte[] snapshot() {
        return ProducerStateSnapshot.encode(endOffset, producers.values());
    }

    @Override
    public String toString() {
        return "ProducerStateManager(endOffset=" + endOffset + ", producers=" + producers.size()
                + ", open transactions=" + ongoing.size() + ")";
    }

    // ---- entries -------------------------------------------------------------------------------------------

    /** Stores {@code entry} as its producer's, keeping {@code ongoing} in step. */
    private void put(ProducerStateEntry entry) {
        ProducerStateEntry previous = producers.put(entry.producerId(), entry);
        if (previous != null && previous.hasOpenTransaction()) {
            ongoing.remove(previous.currentTxnFirstOffset().getAsLong());
        }
        if (entry.hasOpenTransaction()) {
            ongoing.put(entry.currentTxnFirstOffset().getAsLong(), entry.producerId());
        }
    }

    /** Drops entries matching {@code doomed}, which must never match one with an open transaction. */
    private int removeIf(Predicate<ProducerStateEntry> doomed) {
        int before = producers.size();
        producers.values().removeIf(doomed);
        return before - producers.size();
    }

    /**
     * The entry after a batch the log holds. A sequenced batch continues the cached window if it has the
     * window's epoch and follows its last sequence; otherwise the producer bumped its epoch or, seen from a
     * replay, expired and started over, and the window restarts with this batch. A coordinator's batch
     * ({@link #NO_SEQUENCE}) is not part of the sequence: it keeps the window, or empties it under a new
     * epoch. The open transaction (if any) survives an epoch bump: only the coordinator's marker ends it.
     */
    private static ProducerStateEntry afterAppend(
            ProducerStateEntry entry,
            short epoch,
            int firstSeq,
            int lastSeq,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long maxTimestamp) {
        List<BatchMetadata> batches = new ArrayList<>(RETAINED_BATCHES);
        if (firstSeq == NO_SEQUENCE) {
            if (epoch == entry.epoch()) {
                batches.addAll(entry.batches());
            }
        } else {
            boolean continues = epoch == entry.epoch() && firstSeq == ProducerStateEntry.nextSequence(entry.lastSeq());
            if (continues) {
                List<BatchMetadata> kept = entry.batches();
                batches.addAll(kept.subList(Math.max(0, kept.size() - (RETAINED_BATCHES - 1)), kept.size()));
            }
            batches.add(new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, maxTimestamp));
        }
        OptionalLong txn = entry.currentTxnFirstOffset();
        if (transactional && txn.isEmpty()) {
            txn = OptionalLong.of(firstOffset);
        }
        return new ProducerStateEntry(entry.producerId(), epoch, batches, maxTimestamp, txn, entry.coordinatorEpoch());
    }

    /**
     * The entry after a marker: no open transaction, the marker's epochs, and the cached window kept only
     * under an unchanged epoch, so after a bump the next batch must start at sequence 0.
     */
    private static ProducerStateEntry afterMarker(
            ProducerStateEntry entry, short epoch, int coordinatorEpoch, long timestamp) {
        List<BatchMetadata> batches = epoch == entry.epoch() ? entry.batches() : List.of();
        return new ProducerStateEntry(
                entry.producerId(), epoch, batches, timestamp, OptionalLong.empty(), coordinatorEpoch);
    }

    private void requireOffsets(long producerId, long firstOffset, long lastOffset) {
        if (firstOffset < endOffset || lastOffset < firstOffset) {
            throw new IllegalArgumentException("producer " + producerId + ": batch at offsets " + firstOffset + ".."
                    + lastOffset + " does not lie at or after the end offset " + endOffset);
        }
    }

    /** Records in a batch with these sequences: the distance from first to last, wrapping, plus one. */
    private static long sequenceCount(int firstSeq, int lastSeq) {
        long distance = (long) lastSeq - firstSeq;
        return (distance < 0 ? distance + Integer.MAX_VALUE + 1L : distance) + 1;
    }
}
