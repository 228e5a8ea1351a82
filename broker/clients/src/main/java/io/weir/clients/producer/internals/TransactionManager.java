package io.weir.clients.producer.internals;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.ProducerConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.TransactionAbortedException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer-id side of an idempotent or transactional producer, as Kafka's client {@code TransactionManager}:
 * the {@link TransactionManagerState} machine, the producer id and epoch, the partitions of the open transaction, and
 * the queue of coordinator requests ({@link TxnRequestHandler}) that the sender thread works through one at a
 * time. Per-partition sequences are delegated to a {@link SequenceTracker}.
 *
 * <p><b>Threading.</b> User threads call the transactional methods ({@link #initializeTransactions},
 * {@link #beginTransaction}, {@link #beginCommit}, {@link #beginAbort}, {@link #sendOffsets}) and
 * {@link #maybeAddPartition} from {@code send}; those only check the state, change it and queue requests, then
 * return a {@link TransactionalRequestResult} the caller waits on outside any lock. The sender thread sends
 * the queued requests, handles their answers and drains batches through the {@link RecordAccumulator.DrainGate}
 * this class implements. Everything that changes state holds {@code this}; {@code state} and
 * {@code producerIdAndEpoch} are also volatile so that the idempotent producer's drain check and the send
 * path's fatal-error check read them without the lock. The sequence tracker is touched by the sender thread only.
 *
 * <p><b>Invariants.</b> Every transition goes through {@link #transitionTo}, which checks the table. A partition
 * is sent to only once the coordinator has it in the transaction. EndTxn, and the epoch bump after an abort, are
 * sent only when no batch is buffered, being appended or in flight, so no record of the transaction can reach a
 * partition after its marker. Failures are routed, never swallowed: a failed send or coordinator call in a
 * transaction makes it abortable; fencing is fatal.
 */
final class TransactionManager implements RecordAccumulator.DrainGate {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionManager.class);

    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final long retryBackoffNanos;
    /** The first wait before resending a request answered CONCURRENT_TRANSACTIONS. */
    static final long CONCURRENT_RETRY_MIN_NANOS = 100_000L;
    /** The next such wait; doubles while the answers repeat. Guarded by {@code this}. */
    private long concurrentRetryNanos = CONCURRENT_RETRY_MIN_NANOS;

    private final SequenceTracker sequences;
    private final BiConsumer<TransactionManagerState, TransactionManagerState> transitionObserver;

    private volatile TransactionManagerState state = TransactionManagerState.UNINITIALIZED;
    private volatile ProducerIdAndEpoch producerIdAndEpoch = ProducerIdAndEpoch.NONE;
    /** The error behind ABORTABLE_ERROR or FATAL_ERROR. */
    private RuntimeException lastError;
    /** What the abort must end with: nothing, an epoch bump, or a new producer id. */
    private AbortRecovery abortRecovery = AbortRecovery.NONE;
    /** Whether the coordinator has this transaction: an AddPartitionsToTxn or AddOffsetsToTxn of it succeeded. */
    private boolean transactionStarted;

    private final Set<TopicPartition> partitionsInTransaction = new HashSet<>();
    /**
     * Every partition registered in the open transaction (new, being added or added): what the send path checks
     * without the lock. Replaced, never mutated, under {@code this}; emptied before any transition into READY or
     * IN_TRANSACTION, so a sender that reads IN_TRANSACTION and then this set never sees an earlier transaction's.
     */
    private volatile Set<TopicPartition> registeredPartitions = Set.of();

    private final Set<TopicPartition> newPartitionsInTransaction = new LinkedHashSet<>();
    private final Set<TopicPartition> pendingPartitionsInTransaction = new HashSet<>();
    private final ArrayDeque<TxnRequestHandler<?>> pendingRequests = new ArrayDeque<>();
    private TxnRequestHandler<?> inFlightRequest;
    /** While {@code backingOff}, no coordinator request goes before this time. */
    private long retryAtNanos;

    private boolean backingOff;
    /** The user call in progress; kept until a caller has seen its outcome, so a timed-out call can be retried. */
    private TransactionalRequestResult pendingCall;

    TransactionManager(
            ProducerConfig config, BiConsumer<TransactionManagerState, TransactionManagerState> transitionObserver) {
        this.transactionalId = config.transactionalId();
        this.transactionTimeoutMs = config.transactionTimeoutMs();
        this.retryBackoffNanos = TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
        this.sequences = new SequenceTracker(transactionalId != null);
        this.transitionObserver = Objects.requireNonNull(transitionObserver, "transitionObserver");
    }

    String transactionalId() {
        return transactionalId;
    }

    int transactionTimeoutMs() {
        return transactionTimeoutMs;
    }

    boolean isTransactional() {
        return transactionalId != null;
    }

    ProducerIdAndEpoch producerIdAndEpoch() {
        return producerIdAndEpoch;
    }

    TransactionManagerState state() {
        return state;
    }

    boolean isFatal() {
        return state == TransactionManagerState.FATAL_ERROR;
    }

    private void transitionTo(TransactionManagerState next) {
        TransactionManagerState previous = state;
        state = previous.checkTransition(next);
        LOG.atDebug().log(() -> describe() + ": " + previous + " -> " + next);
        transitionObserver.accept(previous, next);
    }

    private String describe() {
        return (transactionalId == null
                        ? "Idempotent producer"
                        : "Producer with transactional.id '" + transactionalId + "'")
                + (producerIdAndEpoch.isValid() ? " (" + producerIdAndEpoch + ")" : "");
    }

    // ---- user threads: the transactional API --------------------------------------------------------------

    synchronized TransactionalRequestResult initializeTransactions() {
        TransactionalRequestResult cached = checkCallable("initTransactions()");
        if (cached != null) {
            return cached;
        }
        if (state != TransactionManagerState.UNINITIALIZED) {
            throw new IllegalClientStateException(
                    "initTransactions() was already called on this producer (transactional.id '" + transactionalId
                            + "', state " + state + "); call it once, before the first transaction");
        }
        transitionTo(TransactionManagerState.INITIALIZING);
        TransactionalRequestResult result = newCall("initTransactions()");
        pendingRequests.addLast(new TxnRequestHandler.InitProducerId(this, ProducerIdAndEpoch.NONE, result));
        return result;
    }

    synchronized void beginTransaction() {
        checkCallable("beginTransaction()");
        requireReadyOrOpen("beginTransaction()");
        if (state == TransactionManagerState.IN_TRANSACTION) {
            throw new IllegalClientStateException("beginTransaction() called while a transaction of transactional.id '"
                    + transactionalId + "' is already open; commit or abort it first");
        }
        clearTransaction();
        transitionTo(TransactionManagerState.IN_TRANSACTION);
    }

    synchronized TransactionalRequestResult beginCommit() {
        TransactionalRequestResult cached = checkCallable("commitTransaction()");
        if (cached != null) {
            return cached;
        }
        requireOpenTransaction("commitTransaction()");
        transitionTo(TransactionManagerState.COMMITTING_TRANSACTION);
        TransactionalRequestResult result = newCall("commitTransaction()");
        if (coordinatorMayHaveTransaction()) {
            // Whether it does is settled when EndTxn's turn comes (nextRequest), after the requests ahead of it.
            pendingRequests.addLast(new TxnRequestHandler.EndTxn(this, TxnOutcome.COMMIT, result));
        } else {
            completeTransaction(result); // nothing was sent to the coordinator: there is nothing to commit
        }
        return result;
    }

    synchronized TransactionalRequestResult beginAbort() {
        TransactionalRequestResult cached = checkCallable("abortTransaction()");
        if (cached != null) {
            return cached;
        }
        if (state != TransactionManagerState.ABORTABLE_ERROR) {
            requireOpenTransaction("abortTransaction()");
        }
        // With sends in this transaction, batches may still be buffered: the EndTxn then waits until the sender
        // has failed them (it needs quiescence), and is dropped at its turn if the coordinator never had the
        // transaction. Ending at once would let those batches go out in the next transaction.
        boolean endAtCoordinator = coordinatorMayHaveTransaction() || !partitionsInTransaction.isEmpty();
        transitionTo(TransactionManagerState.ABORTING_TRANSACTION);
        newPartitionsInTransaction.clear();
        failPendingRequests();
        TransactionalRequestResult result = newCall("abortTransaction()");
        if (abortRecovery != AbortRecovery.NEW_PRODUCER_ID && endAtCoordinator) {
            pendingRequests.addLast(new TxnRequestHandler.EndTxn(this, TxnOutcome.ABORT, result));
        } else {
            finishAbort(result);
        }
        return result;
    }

    synchronized TransactionalRequestResult sendOffsets(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        TransactionalRequestResult cached = checkCallable("sendOffsetsToTransaction()");
        if (cached != null) {
            return cached;
        }
        requireOpenTransaction("sendOffsetsToTransaction()");
        TransactionalRequestResult result = newCall("sendOffsetsToTransaction()");
        pendingRequests.addLast(new TxnRequestHandler.AddOffsets(this, offsets, group, result));
        return result;
    }

    /**
     * The send path, before a record is appended: refuses a send the state does not allow and, in a
     * transaction, registers a partition not yet in it so that AddPartitionsToTxn goes before its batches.
     */
    void maybeAddPartition(TopicPartition tp) {
        if (transactionalId == null) {
            if (state == TransactionManagerState.FATAL_ERROR) {
                throw fatalException();
            }
            return;
        }
        // Every record but a transaction's first on a partition takes this path: no lock, so the user thread
        // never waits for the sender thread (which holds the lock to drain and to answer the coordinator).
        if (state == TransactionManagerState.IN_TRANSACTION && registeredPartitions.contains(tp)) {
            return;
        }
        synchronized (this) {
            if (state != TransactionManagerState.IN_TRANSACTION) {
                if (state == TransactionManagerState.FATAL_ERROR) {
                    throw fatalException();
                }
                if (state == TransactionManagerState.ABORTABLE_ERROR) {
                    throw abortableException("send");
                }
                throw new IllegalClientStateException("Cannot send to " + tp + ": the producer with transactional.id '"
                        + transactionalId + "' has no open transaction (state " + state + "); "
                        + (state == TransactionManagerState.UNINITIALIZED ? "call initTransactions(), then " : "")
                        + "call beginTransaction() before sending");
            }
            if (!partitionsInTransaction.contains(tp) && !pendingPartitionsInTransaction.contains(tp)) {
                newPartitionsInTransaction.add(tp);
            }
            if (!registeredPartitions.contains(tp)) {
                Set<TopicPartition> registered = new HashSet<>(registeredPartitions);
                registered.add(tp);
                registeredPartitions = registered;
            }
        }
    }

    /** The call-independent checks; returns the result of the same call if it timed out earlier and is still unseen. */
    private TransactionalRequestResult checkCallable(String operation) {
        if (transactionalId == null) {
            throw new IllegalClientStateException(operation + " needs a transactional producer: set transactional.id "
                    + "(" + ProducerConfig.TRANSACTIONAL_ID + ") in the producer's configuration");
        }
        if (state == TransactionManagerState.FATAL_ERROR) {
            throw fatalException();
        }
        if (pendingCall != null && !pendingCall.isAcked()) {
            if (pendingCall.operation().equals(operation)) {
                return pendingCall;
            }
            throw new IllegalClientStateException("Cannot call " + operation + " while " + pendingCall.operation()
                    + " has not been seen to complete (it timed out or is still running); call "
                    + pendingCall.operation()
                    + " again to wait for its outcome");
        }
        return null;
    }

    private TransactionalRequestResult newCall(String operation) {
        pendingCall = new TransactionalRequestResult(operation);
        return pendingCall;
    }

    private void requireReadyOrOpen(String operation) {
        switch (state) {
            case UNINITIALIZED, INITIALIZING -> throw new IllegalClientStateException(
                    "Cannot call " + operation + " before initTransactions() has completed (transactional.id '"
                            + transactionalId + "'); call initTransactions() first");
            case ABORTABLE_ERROR -> throw abortableException(operation);
            default -> {}
        }
    }

    private void requireOpenTransaction(String operation) {
        requireReadyOrOpen(operation);
        if (state != TransactionManagerState.IN_TRANSACTION) {
            throw new IllegalClientStateException("Cannot call " + operation + ": no transaction is open (state "
                    + state + "); call beginTransaction() first");
        }
    }

    /** What a call fails with after a fatal error; a fresh instance so the caller's stack shows. */
    synchronized RuntimeException fatalException() {
        if (lastError instanceof ProducerFencedException) {
            return new ProducerFencedException(lastError.getMessage(), lastError);
        }
        return new IllegalClientStateException(
                describe() + " cannot be used after a fatal error (" + lastError
                        + "); close it and create a new producer",
                lastError);
    }

    /** What a call other than abortTransaction() fails with once the transaction can only be aborted. */
    synchronized IllegalClientStateException abortableException(String operation) {
        return new IllegalClientStateException(
                "Cannot " + operation + ": the transaction of " + describe() + " failed and can only be aborted ("
                        + lastError + "); call abortTransaction(), then begin a new transaction",
                lastError);
    }

    /** The fatal error for a stale epoch at the coordinator: a newer instance with the same id took over. */
    ProducerFencedException fenced(ApiError error) {
        return new ProducerFencedException(describe() + " was fenced: another producer with the same transactional.id "
                + "has called initTransactions() (" + error.message()
                + "). Close this producer; the newer instance takes over");
    }

    // ---- error routing (sender thread, and user threads through the handlers) ----------------------------

    /**
     * The open transaction can no longer commit. The first error is kept for the messages; later ones only add
     * to what the abort must do.
     *
     * @param recovery what the abort must end with, besides the markers
     */
    synchronized void abortableError(RuntimeException error, AbortRecovery recovery) {
        abortRecovery = abortRecovery.and(recovery);
        if (state == TransactionManagerState.IN_TRANSACTION
                || state == TransactionManagerState.COMMITTING_TRANSACTION) {
            lastError = error;
            transitionTo(TransactionManagerState.ABORTABLE_ERROR);
            failPendingRequests();
        }
    }

    synchronized void fatalError(RuntimeException error) {
        if (state == TransactionManagerState.FATAL_ERROR) {
            return;
        }
        lastError = error;
        transitionTo(TransactionManagerState.FATAL_ERROR);
        RuntimeException e = fatalException();
        pendingRequests.forEach(h -> h.fail(e));
        pendingRequests.clear();
        newPartitionsInTransaction.clear();
        if (pendingCall != null) {
            pendingCall.fail(error);
        }
    }

    /** Fails the queued requests the abort makes pointless; those the abort needs stay. */
    private void failPendingRequests() {
        pendingRequests.removeIf(h -> {
            if (h.survivesAbort()) {
                return false;
            }
            h.fail(abortableOrAborted(h));
            return true;
        });
    }

    /** Sender thread, closing: nobody will carry out the queued calls any more. */
    synchronized void close(RuntimeException reason) {
        pendingRequests.forEach(h -> h.fail(reason));
        pendingRequests.clear();
        if (pendingCall != null) {
            pendingCall.fail(reason);
        }
    }

    // ---- sender thread: coordinator requests --------------------------------------------------------------

    /**
     * The next coordinator request to send, or null. Moves the idempotent producer along first: its own
     * InitProducerId, and the epoch bump once the partitions that asked for it have nothing in flight.
     *
     * @param batchesOutstanding whether any batch is buffered, being appended or in flight
     */
    synchronized TxnRequestHandler<?> nextRequest(long nowNanos, boolean batchesOutstanding) {
        if (transactionalId == null) {
            maybeInitIdempotentProducer();
        }
        if (inFlightRequest != null || (backingOff && nowNanos - retryAtNanos < 0)) {
            return null;
        }
        backingOff = false;
        TxnRequestHandler<?> next;
        if (!newPartitionsInTransaction.isEmpty()
                && (state == TransactionManagerState.IN_TRANSACTION
                        || state == TransactionManagerState.COMMITTING_TRANSACTION)) {
            next = new TxnRequestHandler.AddPartitions(this, newPartitionsInTransaction);
            pendingPartitionsInTransaction.addAll(newPartitionsInTransaction);
            newPartitionsInTransaction.clear();
        } else {
            next = pendingRequests.peekFirst();
            if (next == null || (next.needsQuiescence() && batchesOutstanding)) {
                return null;
            }
            pendingRequests.pollFirst();
            if (next instanceof TxnRequestHandler.EndTxn end && !transactionStarted) {
                // No AddPartitionsToTxn or AddOffsetsToTxn succeeded, so the coordinator holds no transaction
                // to end (it would answer INVALID_TXN_STATE): end it here, as Kafka's client does.
                onTransactionEnded(end.outcome, end.result);
                return null;
            }
        }
        inFlightRequest = next;
        return next;
    }

    /**
     * How long until a backed-off request may go; {@code Long.MAX_VALUE} when none is backing off (a request
     * waiting for an answer or for batches to complete is woken by that event, not by time).
     */
    synchronized long retryDelayNanos(long nowNanos) {
        boolean waiting = !pendingRequests.isEmpty() || !newPartitionsInTransaction.isEmpty();
        return inFlightRequest == null && waiting && backingOff ? Math.max(0, retryAtNanos - nowNanos) : Long.MAX_VALUE;
    }

    private void maybeInitIdempotentProducer() {
        if (state == TransactionManagerState.UNINITIALIZED) {
            transitionTo(TransactionManagerState.INITIALIZING);
            pendingRequests.addLast(new TxnRequestHandler.InitProducerId(this, ProducerIdAndEpoch.NONE, null));
        } else if (state == TransactionManagerState.READY && sequences.rewriteReady()) {
            if (producerIdAndEpoch.canBumpEpoch()) {
                producerIdAndEpoch = producerIdAndEpoch.withBumpedEpoch();
                LOG.atDebug().log(() -> describe() + ": bumped the epoch to restart sequences");
                sequences.rewrite(producerIdAndEpoch);
            } else {
                // The epoch is exhausted: a new producer id, then the rewrite under it.
                producerIdAndEpoch = ProducerIdAndEpoch.NONE;
                transitionTo(TransactionManagerState.INITIALIZING);
                pendingRequests.addLast(new TxnRequestHandler.InitProducerId(this, ProducerIdAndEpoch.NONE, null));
            }
        }
    }

    synchronized void requestDone(TxnRequestHandler<?> handler) {
        if (inFlightRequest == handler) {
            inFlightRequest = null;
        }
    }

    /**
     * {@link #retry(TxnRequestHandler, long)} after the coordinator's retriable {@code error}. CONCURRENT_TRANSACTIONS
     * means the previous transaction's markers are still being written, which an embedded broker finishes in well
     * under a millisecond: those retries start at {@value #CONCURRENT_RETRY_MIN_NANOS} ns and double up to
     * {@code retry.backoff.ms}, rather than wait the whole backoff (Kafka shortens it to 20 ms for the same reason).
     */
    synchronized void retry(TxnRequestHandler<?> handler, long nowNanos, Errors error) {
        if (error == Errors.CONCURRENT_TRANSACTIONS) {
            long backoff = concurrentRetryNanos;
            concurrentRetryNanos = Math.min(concurrentRetryNanos * 2, retryBackoffNanos);
            schedule(handler, nowNanos + Math.min(backoff, retryBackoffNanos));
        } else {
            concurrentRetryNanos = CONCURRENT_RETRY_MIN_NANOS;
            retry(handler, nowNanos);
        }
    }

    /** Sends the request again after {@code retry.backoff.ms}, unless an abort has made it pointless. */
    synchronized void retry(TxnRequestHandler<?> handler, long nowNanos) {
        schedule(handler, nowNanos + retryBackoffNanos);
    }

    private void schedule(TxnRequestHandler<?> handler, long retryAt) {
        retryAtNanos = retryAt;
        backingOff = true;
        boolean aborting = state == TransactionManagerState.ABORTABLE_ERROR
                || state == TransactionManagerState.ABORTING_TRANSACTION;
        if (handler instanceof TxnRequestHandler.AddPartitions add) {
            // Merged with partitions registered meanwhile into the next AddPartitionsToTxn.
            pendingPartitionsInTransaction.removeAll(add.partitions);
            newPartitionsInTransaction.addAll(add.partitions);
        } else if (aborting && !handler.survivesAbort()) {
            handler.fail(abortableOrAborted(handler));
        } else {
            pendingRequests.addFirst(handler);
        }
    }

    private RuntimeException abortableOrAborted(TxnRequestHandler<?> handler) {
        String operation = handler.result == null ? handler.name() : handler.result.operation();
        return state == TransactionManagerState.ABORTABLE_ERROR
                ? abortableException(operation)
                : new TransactionAbortedException(
                        operation + " was dropped: the transaction of " + describe() + " is being aborted");
    }

    /** Queues a request that continues the one just answered, ahead of the rest. */
    synchronized void enqueueFirst(TxnRequestHandler<?> handler) {
        if (state == TransactionManagerState.IN_TRANSACTION
                || state == TransactionManagerState.COMMITTING_TRANSACTION) {
            pendingRequests.addFirst(handler);
        } else {
            handler.fail(abortableOrAborted(handler));
        }
    }

    synchronized void onPartitionsAdded(Set<TopicPartition> partitions) {
        concurrentRetryNanos = CONCURRENT_RETRY_MIN_NANOS;
        pendingPartitionsInTransaction.removeAll(partitions);
        partitionsInTransaction.addAll(partitions);
        transactionStarted = true;
    }

    /**
     * Whether a request that opens the transaction at the coordinator succeeded, is in flight, or is queued.
     * When none is, the transaction ends locally; EndTxn would be refused with INVALID_TXN_STATE.
     */
    private boolean coordinatorMayHaveTransaction() {
        return transactionStarted
                || !newPartitionsInTransaction.isEmpty()
                || !pendingPartitionsInTransaction.isEmpty()
                || opensTransaction(inFlightRequest)
                || pendingRequests.stream().anyMatch(TransactionManager::opensTransaction);
    }

    private static boolean opensTransaction(TxnRequestHandler<?> handler) {
        return handler instanceof TxnRequestHandler.AddPartitions
                || handler instanceof TxnRequestHandler.AddOffsets
                || handler instanceof TxnRequestHandler.TxnOffsetCommit;
    }

    /** AddOffsetsToTxn succeeded: the coordinator now has a transaction open for this producer. */
    synchronized void onOffsetsPartitionAdded() {
        concurrentRetryNanos = CONCURRENT_RETRY_MIN_NANOS;
        transactionStarted = true;
    }

    synchronized void onPartitionsRefused(Set<TopicPartition> partitions) {
        pendingPartitionsInTransaction.removeAll(partitions);
        Set<TopicPartition> registered = new HashSet<>(registeredPartitions);
        registered.removeAll(partitions);
        registeredPartitions = registered;
    }

    synchronized void onProducerIdInitialized(ProducerIdAndEpoch id, TransactionalRequestResult result) {
        concurrentRetryNanos = CONCURRENT_RETRY_MIN_NANOS;
        producerIdAndEpoch = id;
        abortRecovery = AbortRecovery.NONE;
        lastError = null;
        if (sequences.rewriteRequested()) {
            sequences.rewrite(id);
        }
        transitionTo(TransactionManagerState.READY);
        if (result != null) {
            result.done();
        }
    }

    synchronized void onTransactionEnded(TxnOutcome outcome, TransactionalRequestResult result) {
        concurrentRetryNanos = CONCURRENT_RETRY_MIN_NANOS;
        if (outcome == TxnOutcome.ABORT) {
            finishAbort(result);
        } else {
            completeTransaction(result);
        }
    }

    /** EndTxn(abort) found the epoch moved on: the coordinator already aborted the transaction. */
    synchronized void onAbortFoundEpochStale(Errors error, TransactionalRequestResult result) {
        abortRecovery = abortRecovery.and(AbortRecovery.forStaleEpoch(error));
        finishAbort(result);
    }

    private void finishAbort(TransactionalRequestResult result) {
        clearTransaction();
        if (abortRecovery != AbortRecovery.NONE) {
            // Kafka's KIP-360: InitProducerId with our id and epoch bumps the epoch and keeps the id.
            transitionTo(TransactionManagerState.INITIALIZING);
            ProducerIdAndEpoch current =
                    abortRecovery == AbortRecovery.NEW_PRODUCER_ID ? ProducerIdAndEpoch.NONE : producerIdAndEpoch;
            pendingRequests.addFirst(new TxnRequestHandler.InitProducerId(this, current, result));
        } else {
            completeTransaction(result);
        }
    }

    private void completeTransaction(TransactionalRequestResult result) {
        clearTransaction();
        transitionTo(TransactionManagerState.READY);
        lastError = null;
        result.done();
    }

    private void clearTransaction() {
        registeredPartitions = Set.of();
        partitionsInTransaction.clear();
        pendingPartitionsInTransaction.clear();
        newPartitionsInTransaction.clear();
        transactionStarted = false;
    }

    // ---- sender thread: batches -----------------------------------------------------------------------------

    @Override
    public boolean mayDrain(ProducerBatch head) {
        if (transactionalId == null) {
            return state == TransactionManagerState.READY && sequences.mayDrain(head, producerIdAndEpoch);
        }
        synchronized (this) {
            boolean open = state == TransactionManagerState.IN_TRANSACTION
                    || state == TransactionManagerState.COMMITTING_TRANSACTION;
            return open
                    && partitionsInTransaction.contains(head.partition)
                    && sequences.mayDrain(head, producerIdAndEpoch);
        }
    }

    @Override
    public void onDrained(ProducerBatch batch) {
        sequences.onDrained(batch, producerIdAndEpoch);
    }

    /** Whether a refused batch may go again as far as idempotence goes; the sender checks its own budget. */
    boolean mayRetry(ProducerBatch batch, Errors error, RuntimeException exception) {
        return !isFatal() && sequences.mayRetry(batch, error, exception);
    }

    /** The error a batch that will not be retried fails with: a sequence gap becomes a self-explaining one. */
    RuntimeException failureFor(ProducerBatch batch, Errors error, RuntimeException exception) {
        if (error != Errors.OUT_OF_ORDER_SEQUENCE_NUMBER || !sequences.isNextExpected(batch)) {
            return exception;
        }
        return new OutOfOrderSequenceException(
                batch.partition + " refused the batch of " + batch.producerIdAndEpoch()
                        + " with sequences " + batch.baseSequence() + ".." + batch.lastSequence()
                        + " as out of order, though every "
                        + "earlier batch was acknowledged: the broker lost records of this producer ("
                        + exception.getMessage() + "). "
                        + (transactionalId == null
                                ? "These records were not written; the producer bumps its epoch and goes on"
                                : "Abort the transaction"),
                exception);
    }

    /** Sender thread, before the batch's callbacks run: bookkeeping for an acknowledged or failed batch. */
    void onBatchCompleted(ProducerBatch batch, RuntimeException error) {
        if (error == null) {
            sequences.onAcked(batch);
            return;
        }
        boolean sequencesBroken = sequences.onFailed(batch);
        if (transactionalId == null) {
            return;
        }
        if (error instanceof ProducerFencedException) {
            fatalError(error);
        } else {
            abortableError(error, sequencesBroken ? AbortRecovery.BUMP_EPOCH : AbortRecovery.NONE);
        }
    }

    /**
     * The error to fail every batch not yet sent with, or null while they may still go: the transaction is
     * aborting or can only be aborted, or the producer hit a fatal error.
     */
    synchronized RuntimeException unsentBatchesError() {
        return switch (state) {
            case FATAL_ERROR -> fatalException();
            case ABORTABLE_ERROR -> new TransactionAbortedException(
                    "The record was not sent: the transaction of " + describe() + " failed (" + lastError
                            + ") and must be aborted",
                    lastError);
            case ABORTING_TRANSACTION -> new TransactionAbortedException(
                    "The record was not sent: the transaction of " + describe() + " was aborted");
            default -> null;
        };
    }

    boolean mustFailUnsentBatches() {
        TransactionManagerState s = state;
        return s == TransactionManagerState.FATAL_ERROR
                || s == TransactionManagerState.ABORTABLE_ERROR
                || s == TransactionManagerState.ABORTING_TRANSACTION;
    }
}
