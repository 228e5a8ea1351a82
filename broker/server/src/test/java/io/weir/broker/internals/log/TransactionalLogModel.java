package io.weir.broker.internals.log;

import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.InvalidTxnStateException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.TransactionCoordinatorFencedException;
import io.weir.common.errors.UnknownProducerIdException;
import io.weir.common.errors.WeirException;
import io.weir.transactions.BatchMetadata;
import io.weir.transactions.ProducerStateEntry;
import io.weir.transactions.TransactionResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a partition's log must hold and answer, derived afresh from the list of entries it should contain:
 * nothing is cached, so a crash that cuts entries off changes every answer consistently. The producer state
 * is read off the log the way the rules say (the latest epoch, the last five sequenced batches under it, the
 * open transaction since the producer's last marker), and read_committed visibility from each transactional
 * batch's fate: the producer's next marker.
 */
final class TransactionalLogModel {
    private static final int WINDOW = 5;

    /** One batch the log holds, with its size in bytes so a cut segment can be mirrored. */
    sealed interface Entry {
        long firstOffset();

        long lastOffset();

        int size();
    }

    /**
     * A data batch: {@code pid} -1 for a plain batch, {@code firstSeq} -1 for the coordinator's batch.
     */
    record Data(
            long pid,
            short epoch,
            int firstSeq,
            int lastSeq,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long timestamp,
            int size,
            List<String> values)
            implements Entry {}

    record Marker(
            long pid,
            short epoch,
            int coordinatorEpoch,
            TransactionResult result,
            long offset,
            long timestamp,
            int size)
            implements Entry {
        @Override
        public long firstOffset() {
            return offset;
        }

        @Override
        public long lastOffset() {
            return offset;
        }
    }

    /** What the log must answer to an append. */
    sealed interface Expected {}

    record Appended() implements Expected {}

    record DuplicateOf(long firstOffset, long lastOffset) implements Expected {}

    record Refused(Class<? extends WeirException> error) implements Expected {}

    /** An aborted transaction as a read_committed reader must learn it. */
    record Aborted(long pid, long firstOffset, long lastOffset) {}

    final List<Entry> entries = new ArrayList<>();

    long logEnd() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).lastOffset() + 1;
    }

    void add(Entry entry) {
        entries.add(entry);
    }

    /** After a crash cut the active segment (from {@code activeBase}) to its first {@code keepBytes}. */
    void keepActiveSegmentPrefix(long activeBase, long keepBytes) {
        List<Entry> kept = new ArrayList<>();
        long position = 0;
        for (Entry entry : entries) {
            if (entry.firstOffset() >= activeBase) {
                if (position + entry.size() > keepBytes) {
                    break;
                }
                position += entry.size();
            }
            kept.add(entry);
        }
        entries.clear();
        entries.addAll(kept);
    }

    // ---- producer state ----------------------------------------------------------------------------------

    Map<Long, ProducerStateEntry> producers() {
        Map<Long, ProducerStateEntry> producers = new HashMap<>();
        for (Entry entry : entries) {
            long pid = entry instanceof Data d ? d.pid() : ((Marker) entry).pid();
            if (pid >= 0 && !producers.containsKey(pid)) {
                producers.put(pid, producer(pid).orElseThrow());
            }
        }
        return producers;
    }

    Optional<ProducerStateEntry> producer(long pid) {
        Short epoch = null;
        List<BatchMetadata> window = new ArrayList<>();
        Long txnFirst = null;
        long lastTimestamp = -1;
        int coordinatorEpoch = ProducerStateEntry.NO_COORDINATOR_EPOCH;
        for (Entry entry : entries) {
            if (entry instanceof Data d && d.pid() == pid) {
                if (epoch == null || d.epoch() != epoch) {
                    epoch = d.epoch();
                    window.clear();
                }
                if (d.firstSeq() >= 0) {
                    window.add(new BatchMetadata(
                            d.firstSeq(), d.lastSeq(), d.firstOffset(), d.lastOffset(), d.timestamp()));
                }
                if (d.transactional() && txnFirst == null) {
                    txnFirst = d.firstOffset();
                }
                lastTimestamp = d.timestamp();
            } else if (entry instanceof Marker m && m.pid() == pid) {
                if (epoch == null || m.epoch() != epoch) {
                    epoch = m.epoch();
                    window.clear();
                }
                txnFirst = null;
                coordinatorEpoch = m.coordinatorEpoch();
                lastTimestamp = m.timestamp();
            }
        }
        if (epoch == null) {
            return Optional.empty();
        }
        return Optional.of(new ProducerStateEntry(
                pid,
                epoch,
                window.subList(Math.max(0, window.size() - WINDOW), window.size()),
                lastTimestamp,
                txnFirst == null ? OptionalLong.empty() : OptionalLong.of(txnFirst),
                coordinatorEpoch));
    }

    Expected expectBatch(long pid, short epoch, int firstSeq, int lastSeq, boolean transactional) {
        Optional<ProducerStateEntry> found = producer(pid);
        if (found.isEmpty()) {
            return firstSeq == 0 ? new Appended() : new Refused(UnknownProducerIdException.class);
        }
        ProducerStateEntry p = found.get();
        if (epoch < p.epoch()) {
            return new Refused(InvalidProducerEpochException.class);
        }
        if (epoch == p.epoch()) {
            for (int i = p.batches().size() - 1; i >= 0; i--) {
                BatchMetadata b = p.batches().get(i);
                if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                    return new DuplicateOf(b.firstOffset(), b.lastOffset());
                }
            }
        }
        int expected = epoch > p.epoch() ? 0 : p.lastSeq() + 1;
        if (firstSeq != expected) {
            return new Refused(OutOfOrderSequenceException.class);
        }
        if (!transactional && p.hasOpenTransaction()) {
            return new Refused(InvalidTxnStateException.class);
        }
        return new Appended();
    }

    Expected expectCoordinatorBatch(long pid, short epoch) {
        Optional<ProducerStateEntry> p = producer(pid);
        return p.isPresent() && epoch < p.get().epoch()
                ? new Refused(InvalidProducerEpochException.class)
                : new Appended();
    }

    Expected expectMarker(long pid, short epoch, int coordinatorEpoch) {
        Optional<ProducerStateEntry> p = producer(pid);
        if (p.isPresent() && epoch < p.get().epoch()) {
            return new Refused(InvalidProducerEpochException.class);
        }
        if (p.isPresent() && coordinatorEpoch < p.get().coordinatorEpoch()) {
            return new Refused(TransactionCoordinatorFencedException.class);
        }
        return new Appended();
    }

    // ---- read_committed ----------------------------------------------------------------------------------

    long lastStableOffset() {
        long lastStable = logEnd();
        for (ProducerStateEntry p : producers().values()) {
            if (p.hasOpenTransaction()) {
                lastStable = Math.min(lastStable, p.currentTxnFirstOffset().getAsLong());
            }
        }
        return lastStable;
    }

    List<Aborted> aborted() {
        Map<Long, Long> open = new HashMap<>();
        List<Aborted> aborted = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry instanceof Data d && d.transactional()) {
                open.putIfAbsent(d.pid(), d.firstOffset());
            } else if (entry instanceof Marker m) {
                Long first = open.remove(m.pid());
                if (first != null && m.result() == TransactionResult.ABORT) {
                    aborted.add(new Aborted(m.pid(), first, m.offset()));
                }
            }
        }
        return aborted;
    }

    /** Every record a read_committed reader gets from the start: below the LSO, not transactional or committed. */
    List<String> committedValues() {
        long lastStable = lastStableOffset();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof Data d
                    && d.lastOffset() < lastStable
                    && (!d.transactional() || fate(i, d.pid()) == TransactionResult.COMMIT)) {
                values.addAll(d.values());
            }
        }
        return values;
    }

    /** The result of the first marker of {@code pid} after entry {@code index}, or null while none came. */
    private TransactionResult fate(int index, long pid) {
        for (int i = index + 1; i < entries.size(); i++) {
            if (entries.get(i) instanceof Marker m && m.pid() == pid) {
                return m.result();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "model(" + entries.size() + " entries to " + logEnd() + ", lso " + lastStableOffset() + ")";
    }
}
