package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import io.weir.common.utils.Time;
import io.weir.transactions.TransactionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The transaction coordinator (Kafka's TransactionCoordinator and TransactionStateManager): maps each
 * transactional id to a producer id and epoch, runs its transactions through the states of
 * {@link TransactionState}, and makes every change durable in a {@link TransactionLog} before it takes effect.
 *
 * <p><b>Design.</b> Each call is decided by {@link TransitionRules} from the id's current metadata, with no
 * side effects: either an answer now, or a pending transition. A pending transition is written to the log
 * and the id is <i>busy</i> until the log answers: on success the new metadata takes effect and the caller is
 * answered; on failure it is dropped (the state stays as it was) and the caller gets COORDINATOR_NOT_AVAILABLE.
 * Meanwhile every other call that could change the id answers CONCURRENT_TRANSACTIONS. A transition into
 * PrepareCommit or PrepareAbort starts the markers ({@link TransactionMarkers}); once all are written the
 * coordinator writes CompleteCommit or CompleteAbort. EndTxn is answered when the Prepare state is durable,
 * before the markers, as in Kafka: the decision cannot be lost after that. The producer's next AddPartitionsToTxn
 * (or AddOffsetsToTxn) may then arrive while the markers are written: instead of CONCURRENT_TRANSACTIONS it waits
 * (or is answered CONCURRENT_TRANSACTIONS at once if the markers failed), so a producer committing back to back never
 * waits out a retry backoff; once the markers are written it is decided against the completed state and its Ongoing
 * is written in the same log batch as the completion (one log write, not two, between the markers and the next
 * transaction's first batch; {@link TransactionLog#write} takes the records of one id and lands them together).
 *
 * <p><b>Invariants.</b> (1) The metadata in effect for an id is the last record of it the log confirmed
 * (or, after {@link #load}, the last record in the log). (2) Every change follows the table of
 * {@link TransactionState}. (3) Each call is answered exactly once: at once, when its transition's write
 * ends, or by {@link #close()}. (4) A prepared transaction is completed, however often its markers or its
 * completion fail: {@link #poll()} tries again after {@code markerRetryBackoffMs}.
 *
 * <p><b>Time.</b> Nothing here sleeps. {@link #poll()}, called by a broker thread (or a test after moving a
 * manual clock), aborts transactions past their timeout every {@code abortTimedOutIntervalMs}, forgets idle
 * ids every {@code removeExpiredIntervalMs}, and retries failed marker writes.
 *
 * <p><b>Threading.</b> Not thread-safe: the broker confines an instance to one thread, which runs the calls,
 * {@link #poll()} and the callbacks of the log and the markers ({@link TransactionLog#write} never calls back
 * inside the call). Answers are given on that thread.
 *
 * <p><b>Lifecycle.</b> LOADING until {@link #load} (calls answer COORDINATOR_LOAD_IN_PROGRESS), then ACTIVE,
 * then CLOSED (calls answer COORDINATOR_NOT_AVAILABLE; late callbacks are ignored). {@code close()} is
 * idempotent.
 */
public final class TransactionCoordinator implements AutoCloseable {
    private enum Lifecycle {
        LOADING,
        ACTIVE,
        CLOSED
    }

    private final TransactionCoordinatorConfig config;
    private final Time clock;
    private final TransactionLog log;
    private final TransactionMarkers markers;
    private final ProducerIdSource producerIds;
    /** Sorted, so scans (timeouts, expiry, retries) and listings run in a repeatable order. */
    private final Map<String, TxnEntry> entries = new TreeMap<>();

    private Lifecycle lifecycle = Lifecycle.LOADING;
    private long nextAbortScanMs;
    private long nextExpiryScanMs;

    public TransactionCoordinator(
            TransactionCoordinatorConfig config,
            Time clock,
            TransactionLog log,
            TransactionMarkers markers,
            ProducerIdSource producerIds) {
        this.config = config;
        this.clock = clock;
        this.log = log;
        this.markers = markers;
        this.producerIds = producerIds;
    }

    // ---- load ---------------------------------------------------------------------------------------------

    /**
     * Rebuilds the state from the transaction log, read in log order: the latest record per id wins and a
     * tombstone forgets the id. The log holds no last producer id or epoch, so those start at -1. Then the
     * coordinator serves: transactions found prepared are finished (markers, then Complete), Ongoing ones
     * keep their start time and time out as they would have.
     *
     * @throws IllegalStateException if the coordinator already loaded or is closed
     * @throws IllegalArgumentException if a record's value names another transactional id than its key
     */
    public void load(Iterable<TransactionLog.Record> records) {
        if (lifecycle != Lifecycle.LOADING) {
            throw new IllegalStateException(
                    "The transaction coordinator is " + lifecycle + "; it loads once, before serving");
        }
        Map<String, TransactionMetadata> latest = new TreeMap<>();
        for (TransactionLog.Record r : records) {
            if (r.value() == null) {
                latest.remove(r.transactionalId());
            } else if (!r.value().transactionalId().equals(r.transactionalId())) {
                throw new IllegalArgumentException("Transaction log record keyed " + r.transactionalId()
                        + " holds the state of " + r.value().transactionalId());
            } else {
                latest.put(r.transactionalId(), r.value().withoutLastProducer());
            }
        }
        latest.forEach((id, m) -> entries.put(id, new TxnEntry(m)));
        lifecycle = Lifecycle.ACTIVE;
        long now = clock.milliseconds();
        nextAbortScanMs = now + config.abortTimedOutIntervalMs();
        nextExpiryScanMs = now + config.removeExpiredIntervalMs();
        for (TxnEntry e : List.copyOf(entries.values())) {
            if (e.current.state().isPrepared()) {
                writeMarkers(e);
            }
        }
    }

    // ---- the producer's calls -----------------------------------------------------------------------------

    /**
     * InitProducerId for a transactional producer; {@code answer} is called once.
     *
     * @param producerId    -1 for a new instance, else the producer's current id (a KIP-360 epoch bump)
     * @param producerEpoch -1 for a new instance, else the producer's current epoch
     */
    public void initProducerId(
            String transactionalId,
            int timeoutMs,
            long producerId,
            short producerEpoch,
            Consumer<InitProducerIdAnswer> answer) {
        TxnAnswer unavailable = unavailable();
        if (unavailable != null) {
            answer.accept(InitProducerIdAnswer.failed(unavailable));
            return;
        }
        TxnEntry entry = entryOf(transactionalId);
        Decision decision;
        try {
            decision = TransitionRules.initProducerId(
                    entry == null ? null : entry.current,
                    entry == null ? null : entry.busyReason(),
                    transactionalId,
                    timeoutMs,
                    producerId,
                    producerEpoch,
                    config,
                    clock.milliseconds(),
                    producerIds);
        } catch (ProducerIdSource.Unavailable e) {
            answer.accept(InitProducerIdAnswer.failed(new TxnAnswer(
                    TxnError.COORDINATOR_NOT_AVAILABLE,
                    "Transactional id " + transactionalId + " needs a new producer id and none can be handed out: "
                            + e.getMessage() + "; retry")));
            return;
        }
        if (decision instanceof Decision.Reply reply) {
            answer.accept(InitProducerIdAnswer.failed(reply.answer()));
            return;
        }
        Decision.Transition t = (Decision.Transition) decision;
        if (entry == null) {
            entry = new TxnEntry(null);
            entries.put(transactionalId, entry);
        }
        Runnable granted = t.to().state() == TransactionState.PREPARE_ABORT
                ? () -> answer.accept(InitProducerIdAnswer.failed(new TxnAnswer(
                        TxnError.CONCURRENT_TRANSACTIONS,
                        "Transactional id " + transactionalId + " had a transaction open; it is being aborted at epoch "
                                + t.to().producerEpoch() + ", which fences the previous instance. Retry")))
                : () -> answer.accept(InitProducerIdAnswer.of(t.to()));
        begin(entry, t, granted, failed -> answer.accept(InitProducerIdAnswer.failed(failed)));
    }

    /** AddPartitionsToTxn; AddOffsetsToTxn passes the group's offsets partition. {@code answer} is called once. */
    public void addPartitions(
            String transactionalId,
            long producerId,
            short producerEpoch,
            Set<TopicPartition> partitions,
            Consumer<TxnAnswer> answer) {
        TxnAnswer unavailable = unavailable();
        if (unavailable != null) {
            answer.accept(unavailable);
            return;
        }
        TxnEntry entry = entryOf(transactionalId);
        if (entry != null && entry.completesFor(producerId, producerEpoch)) {
            // The producer's previous transaction was answered and is writing its markers: the producer has begun
            // the next one. Rather than CONCURRENT_TRANSACTIONS and a retry after a backoff (Kafka's broker answers
            // that, and its client waits 20 ms), the call waits behind the completion, so the next transaction starts
            // the moment it can.
            entry.afterCompletion.add(
                    new TxnEntry.DeferredAdd(transactionalId, producerId, producerEpoch, partitions, answer));
            return;
        }
        decide(
                entry,
                TransitionRules.addPartitions(
                        entry == null ? null : entry.current,
                        entry == null ? null : entry.busyReason(),
                        transactionalId,
                        producerId,
                        producerEpoch,
                        partitions,
                        clock.milliseconds()),
                answer);
    }

    /** EndTxn; answered once the Prepare state is durable, before the markers. {@code answer} is called once. */
    public void endTransaction(
            String transactionalId,
            long producerId,
            short producerEpoch,
            TransactionResult result,
            Consumer<TxnAnswer> answer) {
        TxnAnswer unavailable = unavailable();
        if (unavailable != null) {
            answer.accept(unavailable);
            return;
        }
        TxnEntry entry = entryOf(transactionalId);
        decide(
                entry,
                TransitionRules.endTransaction(
                        entry == null ? null : entry.current,
                        entry == null ? null : entry.busyReason(),
                        transactionalId,
                        producerId,
                        producerEpoch,
                        result,
                        clock.milliseconds()),
                answer);
    }

    /** The id's entry; null for an id the coordinator does not know, a null id included (the rules answer it). */
    private TxnEntry entryOf(String transactionalId) {
        return transactionalId == null ? null : entries.get(transactionalId);
    }

    private void decide(TxnEntry entry, Decision decision, Consumer<TxnAnswer> answer) {
        if (decision instanceof Decision.Reply reply) {
            answer.accept(reply.answer());
        } else {
            begin(entry, (Decision.Transition) decision, () -> answer.accept(TxnAnswer.OK), answer);
        }
    }

    /**
     * Admits one transactional offset commit of the producer's open transaction: on success the transaction
     * cannot end (EndTxn and the timeout wait) until {@link #endOffsetWrite} is called for it, so the offsets
     * reach their partition before any marker of the transaction does. The caller must call
     * {@code endOffsetWrite} exactly once after a successful answer, whatever became of the append.
     */
    public TxnAnswer beginOffsetWrite(
            String transactionalId, long producerId, short producerEpoch, TopicPartition offsetsPartition) {
        TxnAnswer unavailable = unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        TxnEntry entry = entryOf(transactionalId);
        // Ending: a move out of Ongoing is being written — or a completion written with the next transaction's Ongoing
        // (the id is still prepared until that batch is durable): retriable, as Kafka answers a completing one.
        boolean ending = entry != null
                && entry.pending != null
                && (entry.pending.to().state() != TransactionState.ONGOING
                        || (entry.current != null && entry.current.state().isPrepared()));
        TxnAnswer verdict = TransitionRules.checkOffsetWrite(
                entry == null ? null : entry.current,
                ending,
                transactionalId,
                producerId,
                producerEpoch,
                offsetsPartition);
        if (verdict.isSuccess()) {
            entry.offsetWritesInFlight++;
        }
        return verdict;
    }

    /** The offset commit admitted by {@link #beginOffsetWrite} is appended, or failed. */
    public void endOffsetWrite(String transactionalId) {
        TxnEntry entry = entryOf(transactionalId);
        if (lifecycle == Lifecycle.CLOSED || entry == null) {
            return;
        }
        if (entry.offsetWritesInFlight <= 0) {
            throw new IllegalStateException(
                    "Transactional id " + transactionalId + " has no offset commit in flight to end");
        }
        entry.offsetWritesInFlight--;
    }

    // ---- writes -------------------------------------------------------------------------------------------

    private void begin(TxnEntry entry, Decision.Transition t, Runnable onDurable, Consumer<TxnAnswer> onFailed) {
        begin(entry, List.of(t), onDurable, onFailed);
    }

    /** Writes the steps as one log batch; the id is busy until it is durable, and then in the last step's state. */
    private void begin(
            TxnEntry entry, List<Decision.Transition> steps, Runnable onDurable, Consumer<TxnAnswer> onFailed) {
        TxnEntry.Pending pending = new TxnEntry.Pending(steps, onDurable, onFailed);
        entry.pending = pending;
        String id = pending.to().transactionalId();
        List<TransactionLog.Record> records = new ArrayList<>(steps.size());
        for (Decision.Transition step : steps) {
            records.add(new TransactionLog.Record(id, step.to().state() == TransactionState.DEAD ? null : step.to()));
        }
        log.write(records, failure -> written(id, entry, pending, failure));
    }

    private void written(String id, TxnEntry entry, TxnEntry.Pending pending, Throwable failure) {
        if (lifecycle == Lifecycle.CLOSED || entry.pending != pending) {
            return; // close() answered it already
        }
        entry.pending = null;
        if (failure != null) {
            if (entry.current == null) {
                entries.remove(id);
            }
            pending.onFailed()
                    .accept(new TxnAnswer(
                            TxnError.COORDINATOR_NOT_AVAILABLE,
                            "Could not write the move of transactional id "
                                    + id + " from "
                                    + (pending.from() == null
                                            ? "(new)"
                                            : pending.from().state().displayName()) + " to "
                                    + pending.to().state().displayName() + " to the transaction log: "
                                    + failure.getMessage()
                                    + "; retry"));
            runAfterCompletion(entry);
            return;
        }
        if (pending.to().state() == TransactionState.DEAD) {
            entries.remove(id);
        } else {
            entry.current = pending.to();
        }
        pending.onDurable().run();
        if (entry.current != null && entry.current.state().isPrepared() && entries.get(id) == entry) {
            entry.markersDone = false;
            writeMarkers(entry);
        } else {
            runAfterCompletion(entry);
        }
    }

    /** Makes again the calls that waited for the transaction to complete, unless it still completes without failure. */
    private void runAfterCompletion(TxnEntry entry) {
        if (entry.afterCompletion.isEmpty()
                || (entry.current != null
                        && entry.completesFor(entry.current.producerId(), entry.current.producerEpoch()))) {
            return;
        }
        runDeferred(entry);
    }

    private void runDeferred(TxnEntry entry) {
        List<TxnEntry.DeferredAdd> calls = List.copyOf(entry.afterCompletion);
        entry.afterCompletion.clear();
        for (TxnEntry.DeferredAdd d : calls) {
            addPartitions(d.transactionalId(), d.producerId(), d.producerEpoch(), d.partitions(), d.answer());
        }
    }

    private void writeMarkers(TxnEntry entry) {
        TransactionMetadata prepared = entry.current;
        entry.markersInFlight = true;
        entry.retryAtMs = -1;
        TransactionResult result = prepared.state() == TransactionState.PREPARE_COMMIT
                ? TransactionResult.COMMIT
                : TransactionResult.ABORT;
        markers.write(
                new TransactionMarkers.Request(
                        prepared.transactionalId(),
                        prepared.producerId(),
                        prepared.producerEpoch(),
                        result,
                        prepared.partitions()),
                failure -> markersWritten(entry, failure));
    }

    private void markersWritten(TxnEntry entry, Throwable failure) {
        if (lifecycle == Lifecycle.CLOSED) {
            return;
        }
        entry.markersInFlight = false;
        if (failure != null) {
            entry.retryAtMs = clock.milliseconds() + config.markerRetryBackoffMs();
            runAfterCompletion(entry);
            return;
        }
        entry.markersDone = true;
        complete(entry);
    }

    /**
     * A prepared transaction's markers are all written: write Complete*. Nothing else can move a prepared id.
     *
     * <p>If the producer's next AddPartitionsToTxn calls wait for this completion, they are decided now against the
     * completed state, and the Ongoing they start is written in the same log batch as the completion: one write
     * before the next transaction may send, not two. The log still holds Complete then Ongoing, as if written one
     * after the other, and the batch lands whole or not at all. The waiting calls are answered once it is durable;
     * if it fails they are made again (and answered CONCURRENT_TRANSACTIONS, the completion having failed).
     */
    private void complete(TxnEntry entry) {
        long now = clock.milliseconds();
        List<Decision.Transition> steps = new ArrayList<>();
        steps.add(TransitionRules.complete(entry.current, now));
        List<TxnEntry.DeferredAdd> waiting = List.copyOf(entry.afterCompletion);
        List<TxnAnswer> answers = new ArrayList<>(waiting.size());
        for (TxnEntry.DeferredAdd d : waiting) {
            TransactionMetadata state = steps.get(steps.size() - 1).to();
            Decision decision = TransitionRules.addPartitions(
                    state, null, d.transactionalId(), d.producerId(), d.producerEpoch(), d.partitions(), now);
            if (decision instanceof Decision.Reply reply) {
                answers.add(reply.answer());
            } else {
                steps.add((Decision.Transition) decision);
                answers.add(TxnAnswer.OK);
            }
        }
        begin(
                entry,
                steps,
                () -> {
                    // Those decided with the completion are answered; calls that arrived during the write are
                    // made again by runAfterCompletion, the transaction being complete.
                    entry.afterCompletion.subList(0, waiting.size()).clear();
                    for (int i = 0; i < waiting.size(); i++) {
                        waiting.get(i).answer().accept(answers.get(i));
                    }
                },
                failed -> entry.retryAtMs = clock.milliseconds() + config.markerRetryBackoffMs());
    }

    // ---- timers -------------------------------------------------------------------------------------------

    /**
     * Acts on what is due by now: aborts Ongoing transactions past their timeout (each scan
     * {@code abortTimedOutIntervalMs} apart), writes a tombstone for idle ids unused for
     * {@code transactional.id.expiration.ms} (scans {@code removeExpiredIntervalMs} apart), and writes again the
     * markers or the completion of prepared transactions whose last attempt failed.
     */
    public void poll() {
        if (lifecycle != Lifecycle.ACTIVE) {
            return;
        }
        long now = clock.milliseconds();
        if (now >= nextAbortScanMs) {
            nextAbortScanMs = now + config.abortTimedOutIntervalMs();
            for (TxnEntry e : List.copyOf(entries.values())) {
                if (e.current != null && e.busyReason() == null && e.current.timedOut(now)) {
                    // Busy ones are left for the next scan; a failed write too.
                    begin(e, TransitionRules.abortTimedOut(e.current, now), () -> {}, failed -> {});
                }
            }
        }
        if (now >= nextExpiryScanMs) {
            nextExpiryScanMs = now + config.removeExpiredIntervalMs();
            for (TxnEntry e : List.copyOf(entries.values())) {
                if (e.current != null
                        && e.busyReason() == null
                        && TransitionRules.isExpired(e.current, config.transactionalIdExpirationMs(), now)) {
                    begin(e, TransitionRules.expire(e.current, now), () -> {}, failed -> {});
                }
            }
        }
        for (TxnEntry e : List.copyOf(entries.values())) {
            if (e.retryAtMs >= 0
                    && now >= e.retryAtMs
                    && e.pending == null
                    && !e.markersInFlight
                    && e.current != null
                    && e.current.state().isPrepared()) {
                e.retryAtMs = -1;
                if (e.markersDone) {
                    complete(e);
                } else {
                    writeMarkers(e);
                }
            }
        }
    }

    // ---- reads --------------------------------------------------------------------------------------------

    /** The metadata in effect for the id, if the coordinator knows it. */
    public Optional<TransactionMetadata> describe(String transactionalId) {
        TxnEntry e = entryOf(transactionalId);
        return e == null || e.current == null ? Optional.empty() : Optional.of(e.current);
    }

    /** The metadata in effect of every known id, sorted by transactional id. */
    public List<TransactionMetadata> list() {
        List<TransactionMetadata> out = new ArrayList<>();
        for (TxnEntry e : entries.values()) {
            if (e.current != null) {
                out.add(e.current);
            }
        }
        return out;
    }

    /** Whether a transition of the id is being written. */
    public boolean hasPendingTransition(String transactionalId) {
        TxnEntry e = entryOf(transactionalId);
        return e != null && e.pending != null;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    private TxnAnswer unavailable() {
        return switch (lifecycle) {
            case LOADING -> new TxnAnswer(
                    TxnError.COORDINATOR_LOAD_IN_PROGRESS,
                    "The transaction coordinator is loading" + " the transaction log; retry");
            case CLOSED -> new TxnAnswer(TxnError.COORDINATOR_NOT_AVAILABLE, "The transaction coordinator is closed");
            case ACTIVE -> null;
        };
    }

    /**
     * Stops serving. Calls waiting for a transition answer COORDINATOR_NOT_AVAILABLE now (their write may
     * still land; a reload then finds it); later callbacks are ignored. Idempotent.
     */
    @Override
    public void close() {
        if (lifecycle == Lifecycle.CLOSED) {
            return;
        }
        lifecycle = Lifecycle.CLOSED;
        for (TxnEntry e : entries.values()) {
            runDeferred(e); // each is answered COORDINATOR_NOT_AVAILABLE now
        }
        for (Map.Entry<String, TxnEntry> e : entries.entrySet()) {
            TxnEntry.Pending pending = e.getValue().pending;
            if (pending != null) {
                e.getValue().pending = null;
                pending.onFailed()
                        .accept(new TxnAnswer(
                                TxnError.COORDINATOR_NOT_AVAILABLE,
                                "The transaction coordinator closed"
                                        + " while writing the move of transactional id " + e.getKey() + " to "
                                        + pending.to().state().displayName() + "; retry"));
            }
        }
    }
}
