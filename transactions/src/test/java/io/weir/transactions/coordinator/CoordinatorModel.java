package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import io.weir.transactions.TransactionResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What the coordinator should hold and answer, restated from Kafka's rules (see {@link TransitionRules})
 * without its code: per id the state in effect, the one transition being written and who waits for it, and
 * the work in flight for the transaction. {@link CoordinatorWorld} feeds it the same calls and log, marker
 * and clock events it feeds the coordinator, and compares.
 */
final class CoordinatorModel {
    /** An expected answer: the error, and for InitProducerId the grant (-1 otherwise). */
    record Expected(TxnError error, long producerId, short producerEpoch) {
        static Expected of(TxnError error) {
            return new Expected(error, -1L, (short) -1);
        }
    }

    /** A caller waiting for an answer; {@code expected} is set when the model decides it. */
    static final class Waiter {
        final String description;
        Expected expected;

        Waiter(String description) {
            this.description = description;
        }
    }

    private enum Kind {
        GRANT,
        FENCE,
        OK,
        SILENT,
        COMPLETE
    }

    /**
     * A change being written: the values it writes in one batch (more than one when a completion carries the
     * producer's waiting adds), who waits for it, and the waiting adds decided with it and their answers.
     */
    private record Pending(
            List<TransactionMetadata> values,
            Kind kind,
            Waiter waiter,
            List<Deferred> decided,
            List<TxnError> answers) {
        TransactionMetadata to() {
            return values.get(values.size() - 1);
        }
    }

    /** An AddPartitionsToTxn of the producer whose prepared transaction was completing, to be made again after. */
    private record Deferred(long pid, short epoch, Set<TopicPartition> partitions, Waiter waiter) {}

    private static final class Id {
        TransactionMetadata current;
        Pending pending;
        boolean markersInFlight;
        boolean markersDone;
        int offsetWrites;
        long retryAt = -1;
        final List<Deferred> afterCompletion = new ArrayList<>();

        boolean busy() {
            return pending != null || offsetWrites > 0;
        }

        /** The producer's own prepared transaction completes, its markers not failed: its next add waits for that. */
        boolean completesFor(long pid, short epoch) {
            return current != null
                    && current.state().isPrepared()
                    && current.producerId() == pid
                    && current.producerEpoch() == epoch
                    && retryAt < 0;
        }
    }

    private final TransactionCoordinatorConfig config;
    private final Map<String, Id> ids = new TreeMap<>();
    private long nextAbortScan;
    private long nextExpiryScan;

    CoordinatorModel(TransactionCoordinatorConfig config, List<TransactionLog.Record> durable, long now) {
        this.config = config;
        load(durable, now);
    }

    TransactionMetadata current(String id) {
        Id e = ids.get(id);
        return e == null ? null : e.current;
    }

    boolean pending(String id) {
        Id e = ids.get(id);
        return e != null && e.pending != null;
    }

    /** The values the coordinator must write next for {@code id}, in one batch: null for a tombstone. */
    List<TransactionMetadata> pendingValues(String id) {
        List<TransactionMetadata> out = new ArrayList<>();
        for (TransactionMetadata to : ids.get(id).pending.values()) {
            out.add(to.state() == TransactionState.DEAD ? null : to);
        }
        return out;
    }

    /** The markers the coordinator must be writing for {@code id}. */
    TransactionMarkers.Request markersOf(String id) {
        TransactionMetadata m = ids.get(id).current;
        return new TransactionMarkers.Request(
                id,
                m.producerId(),
                m.producerEpoch(),
                m.state() == TransactionState.PREPARE_COMMIT ? TransactionResult.COMMIT : TransactionResult.ABORT,
                m.partitions());
    }

    // ---- calls ------------------------------------------------------------------------------------------------

    void init(String id, int timeoutMs, long pid, short epoch, long now, LongSupplier newPid, Waiter w) {
        Id e = ids.get(id);
        TransactionMetadata m = e == null ? null : e.current;
        boolean bump = pid != -1;
        if (timeoutMs < 1 || timeoutMs > config.maxTimeoutMs()) {
            answer(w, TxnError.INVALID_TRANSACTION_TIMEOUT);
        } else if (e != null && e.busy()) {
            answer(w, TxnError.CONCURRENT_TRANSACTIONS);
        } else if (m == null) {
            start(id, empty(id, newPid.getAsLong(), -1, (short) 0, (short) -1, timeoutMs, now), Kind.GRANT, w);
        } else if (bump && pid != m.producerId()) {
            boolean retryOfRotation = pid == m.lastProducerId()
                    && epoch == m.lastProducerEpoch()
                    && m.state().isIdle();
            if (retryOfRotation) {
                start(
                        id,
                        empty(
                                id,
                                m.producerId(),
                                m.lastProducerId(),
                                m.producerEpoch(),
                                m.lastProducerEpoch(),
                                timeoutMs,
                                now),
                        Kind.GRANT,
                        w);
            } else {
                answer(w, TxnError.PRODUCER_FENCED);
            }
        } else if (m.state().isPrepared()) {
            answer(w, TxnError.CONCURRENT_TRANSACTIONS);
        } else if (m.state() == TransactionState.ONGOING) {
            if (bump && epoch != m.producerEpoch()) {
                answer(w, TxnError.PRODUCER_FENCED);
            } else {
                start(id, abort(m, bump ? m.producerEpoch() : -1, now), Kind.FENCE, w);
            }
        } else {
            boolean keep = bump && epoch != m.producerEpoch() && epoch == m.lastProducerEpoch();
            if (bump && epoch != m.producerEpoch() && !keep) {
                answer(w, TxnError.PRODUCER_FENCED);
                return;
            }
            short last = bump ? epoch : -1;
            TransactionMetadata next;
            if (m.producerEpoch() >= Short.MAX_VALUE - 1) {
                next = empty(id, newPid.getAsLong(), m.producerId(), (short) 0, last, timeoutMs, now);
            } else {
                short granted = keep ? m.producerEpoch() : (short) (m.producerEpoch() + 1);
                next = empty(id, m.producerId(), m.lastProducerId(), granted, last, timeoutMs, now);
            }
            start(id, next, Kind.GRANT, w);
        }
    }

    void add(String id, long pid, short epoch, Set<TopicPartition> partitions, long now, Waiter w) {
        Id e = ids.get(id);
        if (e != null && e.completesFor(pid, epoch)) {
            e.afterCompletion.add(new Deferred(pid, epoch, partitions, w));
            return;
        }
        TxnError producer = producerError(e, pid, epoch);
        if (producer != null) {
            answer(w, producer);
        } else if (e.busy() || e.current.state().isPrepared()) {
            answer(w, TxnError.CONCURRENT_TRANSACTIONS);
        } else if (e.current.state() == TransactionState.ONGOING
                && e.current.partitions().containsAll(partitions)) {
            answer(w, TxnError.NONE);
        } else {
            start(id, ongoing(e.current, partitions, now), Kind.OK, w);
        }
    }

    /** The Ongoing transaction {@code m} becomes once {@code partitions} are added. */
    private static TransactionMetadata ongoing(TransactionMetadata m, Set<TopicPartition> partitions, long now) {
        Set<TopicPartition> all = new HashSet<>(m.partitions());
        all.addAll(partitions);
        long startedAt = m.state() == TransactionState.ONGOING ? m.txnStartTimestamp() : now;
        return moved(m, TransactionState.ONGOING, all, startedAt, now);
    }

    void end(String id, long pid, short epoch, TransactionResult result, long now, Waiter w) {
        Id e = ids.get(id);
        TransactionMetadata m = e == null ? null : e.current;
        boolean commit = result == TransactionResult.COMMIT;
        TxnError producer = producerError(e, pid, epoch);
        if (producer != null) {
            answer(w, producer);
        } else if (e.busy()) {
            answer(w, TxnError.CONCURRENT_TRANSACTIONS);
        } else if (m.state() == TransactionState.ONGOING) {
            start(
                    id,
                    withState(
                            m,
                            commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
                            m.partitions(),
                            now),
                    Kind.OK,
                    w);
        } else if (m.state() == (commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT)) {
            answer(w, TxnError.NONE);
        } else if (m.state() == (commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT)) {
            answer(w, TxnError.CONCURRENT_TRANSACTIONS);
        } else {
            answer(w, TxnError.INVALID_TXN_STATE);
        }
    }

    TxnError beginOffsetWrite(String id, long pid, short epoch, TopicPartition offsets) {
        Id e = ids.get(id);
        TxnError producer = producerError(e, pid, epoch);
        if (producer != null) {
            return producer;
        }
        if (e.pending != null
                && (e.pending.to().state() != TransactionState.ONGOING
                        || (e.current != null && e.current.state().isPrepared()))) {
            return TxnError.CONCURRENT_TRANSACTIONS;
        }
        if (e.current.state() != TransactionState.ONGOING
                || !e.current.partitions().contains(offsets)) {
            return TxnError.INVALID_TXN_STATE;
        }
        e.offsetWrites++;
        return TxnError.NONE;
    }

    void endOffsetWrite(String id) {
        ids.get(id).offsetWrites--;
    }

    private static TxnError producerError(Id e, long pid, short epoch) {
        if (e == null || e.current == null || pid != e.current.producerId()) {
            return TxnError.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch == e.current.producerEpoch()) {
            return null;
        }
        return epoch >= 0 && epoch == e.current.lastProducerEpoch()
                ? TxnError.INVALID_PRODUCER_EPOCH
                : TxnError.PRODUCER_FENCED;
    }

    // ---- the log, the markers, the clock --------------------------------------------------------------------

    void written(String id, boolean durable, long now) {
        Id e = ids.get(id);
        Pending p = e.pending;
        e.pending = null;
        if (!durable) {
            if (e.current == null) {
                ids.remove(id);
            }
            if (p.kind() == Kind.COMPLETE) {
                e.retryAt = now + config.markerRetryBackoffMs();
            }
            answer(p.waiter(), TxnError.COORDINATOR_NOT_AVAILABLE);
            runAfterCompletion(id, e, now);
            return;
        }
        if (p.to().state() == TransactionState.DEAD) {
            ids.remove(id);
        } else {
            e.current = p.to();
        }
        e.afterCompletion.removeAll(p.decided());
        for (int i = 0; i < p.decided().size(); i++) {
            answer(p.decided().get(i).waiter(), p.answers().get(i));
        }
        switch (p.kind()) {
            case GRANT -> answer(p.waiter(), new Expected(TxnError.NONE, p.to().producerId(), p.to().producerEpoch()));
            case FENCE -> answer(p.waiter(), TxnError.CONCURRENT_TRANSACTIONS);
            case OK -> answer(p.waiter(), TxnError.NONE);
            default -> {}
        }
        if (e.current != null && e.current.state().isPrepared() && ids.get(id) == e) {
            e.markersDone = false;
            e.markersInFlight = true;
            e.retryAt = -1;
        } else {
            runAfterCompletion(id, e, now);
        }
    }

    private void runAfterCompletion(String id, Id e, long now) {
        if (e.afterCompletion.isEmpty()
                || (e.current != null && e.completesFor(e.current.producerId(), e.current.producerEpoch()))) {
            return;
        }
        List<Deferred> calls = List.copyOf(e.afterCompletion);
        e.afterCompletion.clear();
        calls.forEach(d -> add(id, d.pid(), d.epoch(), d.partitions(), now, d.waiter()));
    }

    void markersWritten(String id, boolean durable, long now) {
        Id e = ids.get(id);
        e.markersInFlight = false;
        if (!durable) {
            e.retryAt = now + config.markerRetryBackoffMs();
            runAfterCompletion(id, e, now);
            return;
        }
        e.markersDone = true;
        complete(id, e, now);
    }

    private void complete(String id, Id e, long now) {
        TransactionMetadata m = e.current;
        TransactionState done = m.state() == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        TransactionMetadata completed = withState(m, done, Set.of(), now);
        // The producer's adds that wait for the completion are decided against it and written in the same batch.
        List<TransactionMetadata> values = new ArrayList<>(List.of(completed));
        List<Deferred> decided = List.copyOf(e.afterCompletion);
        List<TxnError> answers = new ArrayList<>();
        for (Deferred d : decided) {
            TransactionMetadata state = values.get(values.size() - 1);
            if (d.pid() != state.producerId() || d.epoch() != state.producerEpoch()) {
                throw new AssertionError("only the prepared transaction's producer waits for it: " + d);
            }
            if (state.state() != TransactionState.ONGOING || !state.partitions().containsAll(d.partitions())) {
                values.add(ongoing(state, d.partitions(), now));
            }
            answers.add(TxnError.NONE);
        }
        e.pending = new Pending(values, Kind.COMPLETE, null, decided, answers);
    }

    void poll(long now) {
        if (now >= nextAbortScan) {
            nextAbortScan = now + config.abortTimedOutIntervalMs();
            ids.forEach((id, e) -> {
                TransactionMetadata m = e.current;
                if (m != null
                        && !e.busy()
                        && m.state() == TransactionState.ONGOING
                        && m.txnStartTimestamp() + m.timeoutMs() < now) {
                    start(id, abort(m, m.producerEpoch(), now), Kind.SILENT, null);
                }
            });
        }
        if (now >= nextExpiryScan) {
            nextExpiryScan = now + config.removeExpiredIntervalMs();
            ids.forEach((id, e) -> {
                TransactionMetadata m = e.current;
                if (m != null
                        && !e.busy()
                        && m.state().isIdle()
                        && m.lastUpdateTimestamp() <= now - config.transactionalIdExpirationMs()) {
                    start(id, withState(m, TransactionState.DEAD, Set.of(), now), Kind.SILENT, null);
                }
            });
        }
        ids.forEach((id, e) -> {
            if (e.retryAt >= 0
                    && now >= e.retryAt
                    && e.pending == null
                    && !e.markersInFlight
                    && e.current.state().isPrepared()) {
                e.retryAt = -1;
                if (e.markersDone) {
                    complete(id, e, now);
                } else {
                    e.markersInFlight = true;
                }
            }
        });
    }

    /** A crash and reload: waiting callers are told the coordinator closed; the state is the log's. */
    void reload(List<TransactionLog.Record> durable, long now) {
        ids.values().forEach(e -> {
            if (e.pending != null) {
                answer(e.pending.waiter(), TxnError.COORDINATOR_NOT_AVAILABLE);
            }
            e.afterCompletion.forEach(d -> answer(d.waiter(), TxnError.COORDINATOR_NOT_AVAILABLE));
        });
        ids.clear();
        load(durable, now);
    }

    private void load(List<TransactionLog.Record> durable, long now) {
        for (TransactionLog.Record r : durable) {
            if (r.value() == null) {
                ids.remove(r.transactionalId());
            } else {
                Id e = new Id();
                TransactionMetadata v = r.value();
                e.current = new TransactionMetadata(
                        v.transactionalId(),
                        v.producerId(),
                        -1L,
                        v.producerEpoch(),
                        (short) -1,
                        v.timeoutMs(),
                        v.state(),
                        v.partitions(),
                        v.txnStartTimestamp(),
                        v.lastUpdateTimestamp());
                e.markersInFlight = v.state().isPrepared();
                ids.put(r.transactionalId(), e);
            }
        }
        nextAbortScan = now + config.abortTimedOutIntervalMs();
        nextExpiryScan = now + config.removeExpiredIntervalMs();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void start(String id, TransactionMetadata to, Kind kind, Waiter w) {
        ids.computeIfAbsent(id, k -> new Id()).pending = new Pending(List.of(to), kind, w, List.of(), List.of());
    }

    private static void answer(Waiter w, TxnError error) {
        answer(w, Expected.of(error));
    }

    private static void answer(Waiter w, Expected expected) {
        if (w != null) {
            w.expected = expected;
        }
    }

    private static TransactionMetadata empty(
            String id, long pid, long lastPid, short epoch, short lastEpoch, int timeoutMs, long now) {
        return new TransactionMetadata(
                id, pid, lastPid, epoch, lastEpoch, timeoutMs, TransactionState.EMPTY, Set.of(), -1L, now);
    }

    private static TransactionMetadata abort(TransactionMetadata m, int lastEpoch, long now) {
        short bumped = (short) Math.min(Short.MAX_VALUE, m.producerEpoch() + 1);
        return new TransactionMetadata(
                m.transactionalId(),
                m.producerId(),
                m.lastProducerId(),
                bumped,
                (short) lastEpoch,
                m.timeoutMs(),
                TransactionState.PREPARE_ABORT,
                m.partitions(),
                m.txnStartTimestamp(),
                now);
    }

    private static TransactionMetadata withState(
            TransactionMetadata m, TransactionState state, Set<TopicPartition> partitions, long now) {
        long start = state == TransactionState.DEAD ? -1L : m.txnStartTimestamp();
        return moved(m, state, partitions, start, now);
    }

    /** {@code m}'s producer and timeout in {@code state} with these partitions, started at {@code start}. */
    private static TransactionMetadata moved(
            TransactionMetadata m, TransactionState state, Set<TopicPartition> partitions, long start, long now) {
        return new TransactionMetadata(
                m.transactionalId(),
                m.producerId(),
                m.lastProducerId(),
                m.producerEpoch(),
                m.lastProducerEpoch(),
                m.timeoutMs(),
                state,
                partitions,
                start,
                now);
    }
}
