package io.weir.transactions.internals;

import io.weir.transactions.BatchMetadata;
import io.weir.transactions.Clock;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.ProducerStateEntry;
import io.weir.transactions.ProducerStateManager;
import io.weir.transactions.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one implementation of {@link ProducerStateManager}; its contract, invariants and threading are
 * documented there. Entries are immutable, so a change is a map put of a new entry and a value handed out
 * can never change under its holder.
 *
 * <p>The live path and the replay path share {@link #afterAppend}: once {@code check} has admitted a batch,
 * "starts a new window unless it continues the cached one under the same epoch" is exactly what the live
 * path does too, which is why a state rebuilt from the log agrees with the one that was lost.
 */
final class DefaultProducerStateManager implements ProducerStateManager {
    private final ProducerStateConfig config;
    private final Clock clock;
    private final Map<Long, ProducerStateEntry> producers;
    private long endOffset;

    DefaultProducerStateManager(ProducerStateConfig config, Clock clock, ProducerStateSnapshot initial) {
        this.config = config;
        this.clock = clock;
        this.producers = new HashMap<>(initial.producers());
        this.endOffset = initial.snapshotOffset();
    }

    @Override
    public Verdict check(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional) {
        if (producerId < 0 || epoch < 0 || firstSeq < 0 || lastSeq < 0) {
            throw new IllegalArgumentException("not an idempotent batch: producer " + producerId + " epoch "
                    + epoch + " sequences " + firstSeq + ".." + lastSeq);
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
            return new Verdict.InvalidTxnState(producerId, entry.currentTxnFirstOffset().getAsLong());
        }
        return new Verdict.Append(producerId, epoch, firstSeq, lastSeq, transactional, Optional.of(entry));
    }

    @Override
    public void apply(Verdict.Append pending, long firstOffset, long lastOffset, long maxTimestamp) {
        // Re-deriving the verdict costs a scan of five batches and refuses an Append computed against an
        // older state (a second check before the first apply) or built by hand.
        Verdict now = check(pending.producerId(), pending.epoch(), pending.firstSeq(), pending.lastSeq(),
                pending.transactional());
        if (!now.equals(pending)) {
            throw new IllegalStateException("stale append for producer " + pending.producerId() + ": computed as "
                    + pending + ", the current state answers " + now);
        }
        requireOffsets(pending.producerId(), firstOffset, lastOffset);
        long sequences = sequenceCount(pending.firstSeq(), pending.lastSeq());
        if (lastOffset - firstOffset + 1 != sequences) {
            throw new IllegalArgumentException("producer " + pending.producerId() + ": sequences "
                    + pending.firstSeq() + ".." + pending.lastSeq() + " need " + sequences + " offsets, got "
                    + firstOffset + ".." + lastOffset);
        }
        ProducerStateEntry base = pending.basedOn()
                .orElseGet(() -> ProducerStateEntry.empty(pending.producerId(), pending.epoch()));
        producers.put(pending.producerId(), afterAppend(base, pending.epoch(), pending.firstSeq(),
                pending.lastSeq(), pending.transactional(), firstOffset, lastOffset, maxTimestamp));
        endOffset = lastOffset + 1;
    }

    @Override
    public boolean applyLoaded(long producerId, short epoch, int firstSeq, int lastSeq, boolean transactional,
                               long firstOffset, long lastOffset, long maxTimestamp) {
        if (lastOffset < endOffset) {
            return false;
        }
        requireOffsets(producerId, firstOffset, lastOffset);
        ProducerStateEntry base = producers.get(producerId);
        if (base == null) {
            base = ProducerStateEntry.empty(producerId, epoch);
        }
        producers.put(producerId, afterAppend(base, epoch, firstSeq, lastSeq, transactional,
                firstOffset, lastOffset, maxTimestamp));
        endOffset = lastOffset + 1;
        return true;
    }

    @Override
    public int removeExpired() {
        return removeExpired(clock.milliseconds());
    }

    @Override
    public int removeExpired(long nowMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            ProducerStateEntry entry = it.next();
            // An open transaction pins its producer: the coordinator's marker must still find the entry.
            if (!entry.hasOpenTransaction() && nowMs - entry.lastTimestamp() >= config.producerIdExpirationMs()) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    @Override
    public long endOffset() {
        return endOffset;
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
        return "ProducerStateManager(endOffset=" + endOffset + ", producers=" + producers.size() + ")";
    }

    /**
     * The entry after a batch the log holds. The batch continues the cached window if it has the window's
     * epoch and follows its last sequence; otherwise the producer bumped its epoch or, seen from a replay,
     * expired and started over, and the window restarts with this batch. The open transaction (if any)
     * survives an epoch bump: only the coordinator's marker ends it.
     */
    private static ProducerStateEntry afterAppend(ProducerStateEntry entry, short epoch, int firstSeq,
                                                  int lastSeq, boolean transactional, long firstOffset,
                                                  long lastOffset, long maxTimestamp) {
        boolean continues = epoch == entry.epoch() && firstSeq == ProducerStateEntry.nextSequence(entry.lastSeq());
        List<BatchMetadata> batches = new ArrayList<>(RETAINED_BATCHES);
        if (continues) {
            List<BatchMetadata> kept = entry.batches();
            batches.addAll(kept.subList(Math.max(0, kept.size() - (RETAINED_BATCHES - 1)), kept.size()));
        }
        batches.add(new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, maxTimestamp));
        OptionalLong txn = entry.currentTxnFirstOffset();
        if (transactional && txn.isEmpty()) {
            txn = OptionalLong.of(firstOffset);
        }
        return new ProducerStateEntry(entry.producerId(), epoch, batches, maxTimestamp, txn,
                entry.coordinatorEpoch());
    }

    private void requireOffsets(long producerId, long firstOffset, long lastOffset) {
        if (firstOffset < endOffset || lastOffset < firstOffset) {
            throw new IllegalArgumentException("producer " + producerId + ": batch at offsets " + firstOffset
                    + ".." + lastOffset + " does not lie at or after the end offset " + endOffset);
        }
    }

    /** Records in a batch with these sequences: the distance from first to last, wrapping, plus one. */
    private static long sequenceCount(int firstSeq, int lastSeq) {
        long distance = (long) lastSeq - firstSeq;
        return (distance < 0 ? distance + Integer.MAX_VALUE + 1L : distance) + 1;
    }
}
