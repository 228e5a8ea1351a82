package io.weir.transactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The reference for {@link ProducerStateManager}, written as plainly as the rules read and sharing no code
 * with it: every batch of a producer's current window is kept (the model looks at the last five rather than
 * evicting), sequences wrap by arithmetic modulo 2^31, the first unstable offset is a minimum over all
 * producers, and a copy is a deep copy.
 */
final class ProducerStateModel {
    private static final long SEQUENCE_SPACE = Integer.MAX_VALUE + 1L;
    private static final int WINDOW = 5;

    /** One producer as the model sees it; {@code txnFirst} is null when no transaction is open. */
    private static final class Producer {
        short epoch;
        final List<BatchMetadata> window = new ArrayList<>();
        Long txnFirst;
        long lastTimestamp;
        int coordinatorEpoch = ProducerStateEntry.NO_COORDINATOR_EPOCH;

        Producer(short epoch) {
            this.epoch = epoch;
        }

        Producer copy() {
            Producer copy = new Producer(epoch);
            copy.window.addAll(window);
            copy.txnFirst = txnFirst;
            copy.lastTimestamp = lastTimestamp;
            copy.coordinatorEpoch = coordinatorEpoch;
            return copy;
        }

        /** Takes on {@code newEpoch}; a different epoch starts an empty window. */
        void moveTo(short newEpoch) {
            if (newEpoch != epoch) {
                epoch = newEpoch;
                window.clear();
            }
        }

        int lastSeq() {
            return window.isEmpty() ? -1 : window.get(window.size() - 1).lastSeq();
        }

        List<BatchMetadata> lastFive() {
            return window.subList(Math.max(0, window.size() - WINDOW), window.size());
        }
    }

    private final long expirationMs;
    private final Map<Long, Producer> producers = new TreeMap<>();
    long endOffset;

    ProducerStateModel(long expirationMs) {
        this.expirationMs = expirationMs;
    }

    static int successor(int seq) {
        return (int) ((seq + 1L) % SEQUENCE_SPACE);
    }

    /** Records in a batch from {@code first} to {@code last}, counted around the wrap. */
    static long count(int first, int last) {
        return Math.floorMod((long) last - first, SEQUENCE_SPACE) + 1;
    }

    Verdict verdict(long pid, short epoch, int first, int last, boolean transactional) {
        Producer p = producers.get(pid);
        if (p == null) {
            return first == 0
                    ? new Verdict.Append(pid, epoch, first, last, transactional, Optional.empty())
                    : new Verdict.UnknownProducerId(pid, first);
        }
        if (epoch < p.epoch) {
            return new Verdict.Fenced(pid, p.epoch, epoch);
        }
        if (epoch == p.epoch) {
            // Newest first: a window spanning all 2^31 sequences can hold the same range twice.
            List<BatchMetadata> recent = p.lastFive();
            for (int i = recent.size() - 1; i >= 0; i--) {
                BatchMetadata b = recent.get(i);
                if (b.firstSeq() == first && b.lastSeq() == last) {
                    return new Verdict.Duplicate(pid, epoch, b);
                }
            }
        }
        int expected = epoch > p.epoch ? 0 : successor(p.lastSeq());
        if (first != expected) {
            return new Verdict.OutOfOrder(pid, epoch, expected, first);
        }
        if (!transactional && p.txnFirst != null) {
            return new Verdict.InvalidTxnState(pid, p.txnFirst);
        }
        return new Verdict.Append(pid, epoch, first, last, transactional, Optional.of(entry(pid, p)));
    }

    /** The coordinator's unsequenced transactional batch: only a lower epoch is refused. */
    Verdict coordinatorVerdict(long pid, short epoch) {
        Producer p = producers.get(pid);
        if (p != null && epoch < p.epoch) {
            return new Verdict.Fenced(pid, p.epoch, epoch);
        }
        return new Verdict.Append(
                pid,
                epoch,
                ProducerStateManager.NO_SEQUENCE,
                ProducerStateManager.NO_SEQUENCE,
                true,
                p == null ? Optional.empty() : Optional.of(entry(pid, p)));
    }

    /** A coordinator's batch at these offsets, live or replayed: the same rule either way. */
    void coordinatorBatch(long pid, short epoch, long firstOffset, long lastOffset, long timestamp) {
        Producer p = producers.computeIfAbsent(pid, id -> new Producer(epoch));
        p.moveTo(epoch);
        if (p.txnFirst == null) {
            p.txnFirst = firstOffset;
        }
        p.lastTimestamp = timestamp;
        endOffset = lastOffset + 1;
    }

    MarkerVerdict markerVerdict(long pid, short epoch, int coordinatorEpoch, TransactionResult result) {
        Producer p = producers.get(pid);
        if (p == null) {
            return new MarkerVerdict.EndTxn(pid, epoch, coordinatorEpoch, result, Optional.empty());
        }
        if (epoch < p.epoch) {
            return new Verdict.Fenced(pid, p.epoch, epoch);
        }
        if (coordinatorEpoch < p.coordinatorEpoch) {
            return new MarkerVerdict.CoordinatorFenced(pid, p.coordinatorEpoch, coordinatorEpoch);
        }
        return new MarkerVerdict.EndTxn(pid, epoch, coordinatorEpoch, result, Optional.of(entry(pid, p)));
    }

    /** A marker at {@code offset}, live or replayed; returns the transaction it ended, if one was open. */
    Optional<CompletedTxn> marker(
            long pid, short epoch, int coordinatorEpoch, TransactionResult result, long offset, long timestamp) {
        Producer p = producers.computeIfAbsent(pid, id -> new Producer(epoch));
        p.moveTo(epoch);
        Optional<CompletedTxn> completed =
                p.txnFirst == null ? Optional.empty() : Optional.of(new CompletedTxn(pid, p.txnFirst, offset, result));
        p.txnFirst = null;
        p.coordinatorEpoch = coordinatorEpoch;
        p.lastTimestamp = timestamp;
        endOffset = offset + 1;
        return completed;
    }

    /** Offsets up to {@code offset} hold nothing for the producer state. */
    void advance(long offset) {
        endOffset = Math.max(endOffset, offset);
    }

    OptionalLong firstUnstableOffset() {
        return producers.values().stream()
                .filter(p -> p.txnFirst != null)
                .mapToLong(p -> p.txnFirst)
                .min();
    }

    /** A batch the model said to append, appended at these offsets. */
    void append(
            long pid,
            short epoch,
            int first,
            int last,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long timestamp) {
        Producer p = producers.computeIfAbsent(pid, id -> new Producer(epoch));
        p.moveTo(epoch);
        add(p, first, last, transactional, firstOffset, lastOffset, timestamp);
    }

    /**
     * A batch read back from the log: the same epoch continuing the last sequence extends the window,
     * anything else (another epoch, or a restart after an expiry the log does not record) starts a new one.
     */
    void replay(
            long pid,
            short epoch,
            int first,
            int last,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long timestamp) {
        Producer p = producers.computeIfAbsent(pid, id -> new Producer(epoch));
        if (p.epoch != epoch || first != successor(p.lastSeq())) {
            p.epoch = epoch;
            p.window.clear();
        }
        add(p, first, last, transactional, firstOffset, lastOffset, timestamp);
    }

    private void add(
            Producer p, int first, int last, boolean transactional, long firstOffset, long lastOffset, long timestamp) {
        p.window.add(new BatchMetadata(first, last, firstOffset, lastOffset, timestamp));
        p.lastTimestamp = timestamp;
        if (transactional && p.txnFirst == null) {
            p.txnFirst = firstOffset;
        }
        endOffset = lastOffset + 1;
    }

    int expire(long nowMs) {
        int before = producers.size();
        producers.values().removeIf(p -> p.txnFirst == null && nowMs - p.lastTimestamp >= expirationMs);
        return before - producers.size();
    }

    ProducerStateModel copy() {
        ProducerStateModel copy = new ProducerStateModel(expirationMs);
        producers.forEach((pid, p) -> copy.producers.put(pid, p.copy()));
        copy.endOffset = endOffset;
        return copy;
    }

    /** What {@link ProducerStateManager#producers()} must return. */
    Map<Long, ProducerStateEntry> entries() {
        Map<Long, ProducerStateEntry> entries = new HashMap<>();
        producers.forEach((pid, p) -> entries.put(pid, entry(pid, p)));
        return entries;
    }

    private static ProducerStateEntry entry(long pid, Producer p) {
        return new ProducerStateEntry(
                pid,
                p.epoch,
                p.lastFive(),
                p.lastTimestamp,
                p.txnFirst == null ? OptionalLong.empty() : OptionalLong.of(p.txnFirst),
                p.coordinatorEpoch);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("model(endOffset=" + endOffset);
        producers.forEach((pid, p) -> s.append(", ")
                .append(pid)
                .append("@e")
                .append(p.epoch)
                .append(" seq ")
                .append(p.lastSeq())
                .append(p.txnFirst == null ? "" : " txn@" + p.txnFirst)
                .append(p.coordinatorEpoch < 0 ? "" : " c" + p.coordinatorEpoch));
        return s.append(')').toString();
    }
}
