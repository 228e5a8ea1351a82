package io.weir.broker.internals.txn;

import io.weir.broker.TransactionConfig;
import io.weir.broker.internals.group.TxnOffsetCommits;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddOffsetsToTxnResponse;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnResponse;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.DescribeTransactionsRequest;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.EndTxnResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.ListTransactionsRequest;
import io.weir.common.protocol.ListTransactionsResponse;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import io.weir.common.protocol.WriteTxnMarkersResponse;
import io.weir.common.utils.Time;
import io.weir.transactions.TransactionResult;
import io.weir.transactions.coordinator.ProducerIdSource;
import io.weir.transactions.coordinator.TransactionCoordinator;
import io.weir.transactions.coordinator.TransactionCoordinatorConfig;
import io.weir.transactions.coordinator.TransactionMetadata;
import io.weir.transactions.coordinator.TransactionState;
import io.weir.transactions.coordinator.TxnAnswer;
import io.weir.transactions.coordinator.TxnError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The broker's transaction calls: turns requests into calls on the {@link TransactionCoordinator} (which
 * decides and writes through {@code __transaction_state}), on {@link TxnOffsetCommits} (transactional offsets)
 * and on the {@link TxnMarkerWriter}, and answers with protocol error codes.
 *
 * <p><b>Threading.</b> The coordinator is confined to one thread (see {@link CoordinatorThread}): every
 * request runs there, the broker's timer calls {@link #poll()} there, and log and marker completions are
 * handed there. Answers complete on that thread; a client must not block inside their continuations.
 *
 * <p>Lifecycle: {@link #open} loads the transaction log (finishing prepared transactions) before the broker
 * serves; {@link #close()} closes the coordinator, answering calls still waiting for the log.
 */
public final class BrokerTransactionCoordinator implements AutoCloseable {
    /** How long after a failed marker write the coordinator writes it again (Kafka's retry.backoff.ms default). */
    private static final long MARKER_RETRY_BACKOFF_MS = 100;

    private final CoordinatorThread thread;
    private final TransactionCoordinator coordinator;
    private final TxnMarkerWriter markers;
    private final TxnOffsetCommits txnOffsets;
    private final Predicate<TopicPartition> partitionExists;
    private final Time time;

    private BrokerTransactionCoordinator(
            CoordinatorThread thread,
            TransactionCoordinator coordinator,
            TxnMarkerWriter markers,
            TxnOffsetCommits txnOffsets,
            Predicate<TopicPartition> partitionExists,
            Time time) {
        this.thread = thread;
        this.coordinator = coordinator;
        this.markers = markers;
        this.txnOffsets = txnOffsets;
        this.partitionExists = partitionExists;
        this.time = time;
    }

    /**
     * Builds the coordinator on {@code executor} (a single thread, which the broker also runs {@link #poll()}
     * on and shuts down after {@link #close()}), loads {@code __transaction_state} there and waits for it.
     *
     * @param appendTimeoutMs how long a write may wait for room on the write path
     * @throws io.weir.common.errors.CorruptRecordException if the transaction log holds a record that does not decode
     */
    public static BrokerTransactionCoordinator open(
            TransactionConfig config,
            LogManager logManager,
            AppendRings rings,
            Time time,
            ProducerIdManager producerIds,
            TxnOffsetCommits txnOffsets,
            Predicate<TopicPartition> partitionExists,
            long appendTimeoutMs,
            ScheduledExecutorService executor) {
        CoordinatorThread thread = new CoordinatorThread(executor);
        TransactionStateTopic stateTopic = new TransactionStateTopic(
                logManager,
                rings,
                config.stateLogPartitions(),
                config.stateLogSegmentBytes(),
                appendTimeoutMs,
                time,
                thread);
        TxnMarkerWriter markers = new TxnMarkerWriter(logManager, rings, time, txnOffsets, appendTimeoutMs, thread);
        TransactionCoordinator coordinator = new TransactionCoordinator(
                new TransactionCoordinatorConfig(
                        config.maxTimeoutMs(),
                        config.transactionalIdExpirationMs(),
                        config.abortTimedOutIntervalMs(),
                        config.removeExpiredIntervalMs(),
                        MARKER_RETRY_BACKOFF_MS),
                time,
                stateTopic,
                markers,
                () -> {
                    try {
                        return producerIds.generate();
                    } catch (KafkaStorageException e) {
                        throw new ProducerIdSource.Unavailable(e.getMessage(), e);
                    }
                });
        BrokerTransactionCoordinator handler =
                new BrokerTransactionCoordinator(thread, coordinator, markers, txnOffsets, partitionExists, time);
        try {
            thread.call(() -> {
                        coordinator.load(stateTopic.load());
                        return CompletableFuture.completedFuture(null);
                    })
                    .join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return handler;
    }

    /** Aborts timed-out transactions, expires idle ids, retries markers; runs on the coordinator's thread. */
    public void poll() {
        coordinator.poll();
    }

    // ---- the producer's calls -----------------------------------------------------------------------------

    public CompletableFuture<InitProducerIdResponse> initProducerId(InitProducerIdRequest request) {
        return thread.call(() -> {
            CompletableFuture<InitProducerIdResponse> answer = new CompletableFuture<>();
            coordinator.initProducerId(
                    request.transactionalId(),
                    request.transactionTimeoutMs(),
                    request.producerId(),
                    request.producerEpoch(),
                    a -> answer.complete(new InitProducerIdResponse(
                            a.isSuccess() ? ApiError.NONE : new ApiError(errorOf(a.error()), a.message()),
                            a.producerId(),
                            a.producerEpoch())));
            return answer;
        });
    }

    public CompletableFuture<AddPartitionsToTxnResponse> addPartitionsToTxn(AddPartitionsToTxnRequest request) {
        return thread.call(() -> {
            Map<TopicPartition, ApiError> unknown = new HashMap<>();
            for (TopicPartition tp : request.partitions()) {
                if (!partitionExists.test(tp)) {
                    unknown.put(
                            tp,
                            new ApiError(
                                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                                    "Cannot add " + tp + " to the transaction of " + request.transactionalId()
                                            + ": the broker has no such topic partition"));
                }
            }
            if (!unknown.isEmpty()) {
                Map<TopicPartition, ApiError> results = new HashMap<>(unknown);
                for (TopicPartition tp : request.partitions()) {
                    results.putIfAbsent(
                            tp,
                            new ApiError(
                                    Errors.OPERATION_NOT_ATTEMPTED,
                                    "Not added: the request also names " + new TreeSet<>(unknown.keySet())
                                            + ", which do not exist, and partitions are added all or none"));
                }
                return CompletableFuture.completedFuture(new AddPartitionsToTxnResponse(results));
            }
            CompletableFuture<AddPartitionsToTxnResponse> answer = new CompletableFuture<>();
            coordinator.addPartitions(
                    request.transactionalId(),
                    request.producerId(),
                    request.producerEpoch(),
                    request.partitions(),
                    a -> {
                        Map<TopicPartition, ApiError> results = new HashMap<>();
                        request.partitions().forEach(tp -> results.put(tp, apiError(a)));
                        answer.complete(new AddPartitionsToTxnResponse(results));
                    });
            return answer;
        });
    }

    public CompletableFuture<AddOffsetsToTxnResponse> addOffsetsToTxn(AddOffsetsToTxnRequest request) {
        return thread.call(() -> {
            if (request.groupId() == null || request.groupId().isEmpty()) {
                return CompletableFuture.completedFuture(new AddOffsetsToTxnResponse(new ApiError(
                        Errors.INVALID_GROUP_ID,
                        "AddOffsetsToTxn of " + request.transactionalId() + " needs a group id")));
            }
            CompletableFuture<AddOffsetsToTxnResponse> answer = new CompletableFuture<>();
            coordinator.addPartitions(
                    request.transactionalId(),
                    request.producerId(),
                    request.producerEpoch(),
                    Set.of(txnOffsets.partitionFor(request.groupId())),
                    a -> answer.complete(new AddOffsetsToTxnResponse(apiError(a))));
            return answer;
        });
    }

    public CompletableFuture<EndTxnResponse> endTxn(EndTxnRequest request) {
        return thread.call(() -> {
            CompletableFuture<EndTxnResponse> answer = new CompletableFuture<>();
            coordinator.endTransaction(
                    request.transactionalId(),
                    request.producerId(),
                    request.producerEpoch(),
                    request.committed() ? TransactionResult.COMMIT : TransactionResult.ABORT,
                    a -> answer.complete(new EndTxnResponse(apiError(a))));
            return answer;
        });
    }

    /**
     * The transaction coordinator admits the commit (the producer's transaction is open and holds the group's
     * offsets partition), then the group validates and appends it; the transaction cannot end until the
     * append has answered, so its markers always follow its offsets.
     */
    public CompletableFuture<TxnOffsetCommitResponse> txnOffsetCommit(TxnOffsetCommitRequest request) {
        return thread.call(() -> {
            if (request.groupId() == null || request.groupId().isEmpty()) {
                return txnOffsets.commit(request);
            }
            TopicPartition offsetsPartition = txnOffsets.partitionFor(request.groupId());
            TxnAnswer admitted = coordinator.beginOffsetWrite(
                    request.transactionalId(), request.producerId(), request.producerEpoch(), offsetsPartition);
            if (!admitted.isSuccess()) {
                Map<TopicPartition, ApiError> results = new HashMap<>();
                request.offsets().keySet().forEach(tp -> results.put(tp, apiError(admitted)));
                return CompletableFuture.completedFuture(new TxnOffsetCommitResponse(results));
            }
            CompletableFuture<TxnOffsetCommitResponse> written;
            try {
                written = txnOffsets.commit(request);
            } catch (RuntimeException e) {
                coordinator.endOffsetWrite(request.transactionalId());
                throw e;
            }
            CompletableFuture<TxnOffsetCommitResponse> answer = new CompletableFuture<>();
            written.whenComplete((response, failure) -> {
                Runnable done = () -> {
                    coordinator.endOffsetWrite(request.transactionalId());
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(response);
                    }
                };
                if (!thread.run(done)) {
                    answer.complete(response); // shutting down: the coordinator is closed, nothing to release
                }
            });
            return answer;
        });
    }

    // ---- administration -----------------------------------------------------------------------------------

    /** Writes each marker to each of its partitions; one result per producer id and partition. */
    public CompletableFuture<WriteTxnMarkersResponse> writeTxnMarkers(WriteTxnMarkersRequest request) {
        return thread.call(() -> {
            Map<Long, Map<TopicPartition, ApiError>> results = new ConcurrentHashMap<>();
            CompletableFuture<WriteTxnMarkersResponse> answer = new CompletableFuture<>();
            int total = request.markers().stream()
                    .mapToInt(m -> m.partitions().size())
                    .sum();
            if (total == 0) {
                return CompletableFuture.completedFuture(new WriteTxnMarkersResponse(Map.of()));
            }
            AtomicInteger outstanding = new AtomicInteger(total);
            for (WriteTxnMarkersRequest.TxnMarker m : request.markers()) {
                Map<TopicPartition, ApiError> forProducer =
                        results.computeIfAbsent(m.producerId(), pid -> new ConcurrentHashMap<>());
                TransactionResult result = m.committed() ? TransactionResult.COMMIT : TransactionResult.ABORT;
                for (TopicPartition tp : m.partitions()) {
                    markers.append(tp, m.producerId(), m.producerEpoch(), result, m.coordinatorEpoch(), error -> {
                        forProducer.put(tp, error == null ? ApiError.NONE : ApiError.of(error));
                        if (outstanding.decrementAndGet() == 0) {
                            Map<Long, Map<TopicPartition, ApiError>> copy = new HashMap<>();
                            results.forEach((pid, byPartition) -> copy.put(pid, Map.copyOf(byPartition)));
                            answer.complete(new WriteTxnMarkersResponse(copy));
                        }
                    });
                }
            }
            return answer;
        });
    }

    public CompletableFuture<ListTransactionsResponse> listTransactions(ListTransactionsRequest request) {
        return thread.call(() -> {
            List<String> unknown = request.stateFilters().stream()
                    .filter(name -> TransactionState.fromDisplayName(name).isEmpty())
                    .sorted()
                    .toList();
            if (!unknown.isEmpty()) {
                return CompletableFuture.completedFuture(new ListTransactionsResponse(
                        new ApiError(
                                Errors.INVALID_REQUEST,
                                "Unknown transaction states " + unknown + "; the states are " + stateNames()),
                        List.of()));
            }
            long now = time.milliseconds();
            List<ListTransactionsResponse.TransactionListing> out = new ArrayList<>();
            for (TransactionMetadata m : coordinator.list()) {
                if ((request.stateFilters().isEmpty()
                                || request.stateFilters().contains(m.state().displayName()))
                        && (request.producerIdFilters().isEmpty()
                                || request.producerIdFilters().contains(m.producerId()))
                        && (request.durationFilterMs() < 0
                                || (m.state().isTransactionOpen()
                                        && now - m.txnStartTimestamp() >= request.durationFilterMs()))) {
                    out.add(new ListTransactionsResponse.TransactionListing(
                            m.transactionalId(), m.producerId(), m.state().displayName()));
                }
            }
            return CompletableFuture.completedFuture(new ListTransactionsResponse(ApiError.NONE, out));
        });
    }

    public CompletableFuture<DescribeTransactionsResponse> describeTransactions(DescribeTransactionsRequest request) {
        return thread.call(() -> {
            Map<String, DescribeTransactionsResponse.DescribedTransaction> out = new LinkedHashMap<>();
            for (String id : request.transactionalIds()) {
                Optional<TransactionMetadata> found = coordinator.describe(id);
                out.put(
                        id,
                        found.map(BrokerTransactionCoordinator::described)
                                .orElseGet(() -> new DescribeTransactionsResponse.DescribedTransaction(
                                        new ApiError(
                                                Errors.TRANSACTIONAL_ID_NOT_FOUND,
                                                "The transaction coordinator does not know transactional id '" + id
                                                        + "' (never initialised, or expired after transactional.id.expiration.ms)"),
                                        TransactionState.DEAD.displayName(),
                                        -1,
                                        -1L,
                                        -1L,
                                        (short) -1,
                                        Set.of())));
            }
            return CompletableFuture.completedFuture(new DescribeTransactionsResponse(out));
        });
    }

    private static DescribeTransactionsResponse.DescribedTransaction described(TransactionMetadata m) {
        Set<TopicPartition> partitions = m.partitions();
        return new DescribeTransactionsResponse.DescribedTransaction(
                ApiError.NONE,
                m.state().displayName(),
                m.timeoutMs(),
                m.state().isTransactionOpen() ? m.txnStartTimestamp() : -1L,
                m.producerId(),
                m.producerEpoch(),
                partitions);
    }

    private static List<String> stateNames() {
        return Arrays.stream(TransactionState.values())
                .map(TransactionState::displayName)
                .toList();
    }

    /** Closes the coordinator on its thread and waits: calls waiting for the log answer COORDINATOR_NOT_AVAILABLE. */
    @Override
    public void close() {
        thread.call(() -> {
                    coordinator.close();
                    return CompletableFuture.completedFuture(null);
                })
                .exceptionally(shuttingDown -> null)
                .join();
    }

    // ---- mapping ------------------------------------------------------------------------------------------

    private static ApiError apiError(TxnAnswer a) {
        return a.isSuccess() ? ApiError.NONE : new ApiError(errorOf(a.error()), a.message());
    }

    /** The coordinator's errors are named after the protocol's codes, one to one. */
    static Errors errorOf(TxnError error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case CONCURRENT_TRANSACTIONS -> Errors.CONCURRENT_TRANSACTIONS;
            case COORDINATOR_LOAD_IN_PROGRESS -> Errors.COORDINATOR_LOAD_IN_PROGRESS;
            case COORDINATOR_NOT_AVAILABLE -> Errors.COORDINATOR_NOT_AVAILABLE;
            case INVALID_REQUEST -> Errors.INVALID_REQUEST;
            case INVALID_TRANSACTION_TIMEOUT -> Errors.INVALID_TRANSACTION_TIMEOUT;
            case INVALID_PRODUCER_ID_MAPPING -> Errors.INVALID_PRODUCER_ID_MAPPING;
            case PRODUCER_FENCED -> Errors.PRODUCER_FENCED;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case INVALID_TXN_STATE -> Errors.INVALID_TXN_STATE;
        };
    }
}
