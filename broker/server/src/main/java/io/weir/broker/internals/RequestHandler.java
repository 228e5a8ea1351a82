package io.weir.broker.internals;

import io.weir.broker.BrokerConfig;
import io.weir.broker.internals.group.GroupCoordinator;
import io.weir.broker.internals.group.OffsetCoordinator;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.log.Topic;
import io.weir.broker.internals.txn.BrokerTransactionCoordinator;
import io.weir.broker.internals.txn.ProducerIdManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.broker.network.internals.FileFetch;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidRequestException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddOffsetsToTxnResponse;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnResponse;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.ConfigResourceKey;
import io.weir.common.protocol.CreatePartitionsRequest;
import io.weir.common.protocol.CreatePartitionsResponse;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.CreateTopicsResponse;
import io.weir.common.protocol.DeleteGroupsRequest;
import io.weir.common.protocol.DeleteGroupsResponse;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.DeleteRecordsResponse;
import io.weir.common.protocol.DeleteTopicsRequest;
import io.weir.common.protocol.DeleteTopicsResponse;
import io.weir.common.protocol.DescribeClusterResponse;
import io.weir.common.protocol.DescribeConfigsRequest;
import io.weir.common.protocol.DescribeConfigsResponse;
import io.weir.common.protocol.DescribeGroupsRequest;
import io.weir.common.protocol.DescribeGroupsResponse;
import io.weir.common.protocol.DescribeProducersRequest;
import io.weir.common.protocol.DescribeProducersResponse;
import io.weir.common.protocol.DescribeTransactionsRequest;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.EndTxnResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.HeartbeatRequest;
import io.weir.common.protocol.HeartbeatResponse;
import io.weir.common.protocol.IncrementalAlterConfigsRequest;
import io.weir.common.protocol.IncrementalAlterConfigsResponse;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.LeaveGroupResponse;
import io.weir.common.protocol.ListGroupsResponse;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.protocol.ListTransactionsRequest;
import io.weir.common.protocol.ListTransactionsResponse;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitResponse;
import io.weir.common.protocol.OffsetDeleteRequest;
import io.weir.common.protocol.OffsetDeleteResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.protocol.SyncGroupRequest;
import io.weir.common.protocol.SyncGroupResponse;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import io.weir.common.protocol.WriteTxnMarkersResponse;
import io.weir.transactions.ProducerStateEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of {@link BrokerApi}: turns each request into log operations and answers with an error
 * code per partition or topic. Produce hands batches to the {@link AppendRings}; fetch goes through the
 * {@link FetchManager}; topic management and record deletion go to the {@link LogManager}, configuration to
 * {@link ConfigAdmin};
 * the group calls go to the group coordinator, the transaction calls to the {@link BrokerTransactionCoordinator}.
 *
 * <p>Thread-safe; called directly on the client's thread by the in-process transport. Produce futures
 * complete on an append thread, fetch futures on a fetch thread or the caller's, transaction futures on the
 * transaction coordinator's thread: a client must not block inside a continuation of them.
 */
public final class RequestHandler implements BrokerApi, FileFetch {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final BrokerConfig config;
    private final LogManager logManager;
    private final AppendRings rings;
    private final FetchManager fetchManager;
    private final Runnable ensureOpen;
    private final java.util.concurrent.Executor ioExecutor;
    private final GroupCoordinator groupCoordinator;
    private final OffsetCoordinator offsetCoordinator;
    private final ProducerIdManager producerIds;
    private final BrokerTransactionCoordinator transactions;
    private final ConfigAdmin configs;

    /**
     * @param ioExecutor runs every request that touches files (all but produce and the group calls, which only
     *                   publish to a ring), so a client thread's interrupt can never close a segment's channel
     */
    public RequestHandler(
            BrokerConfig config,
            LogManager logManager,
            AppendRings rings,
            FetchManager fetchManager,
            Runnable ensureOpen,
            java.util.concurrent.Executor ioExecutor,
            GroupCoordinator groupCoordinator,
            OffsetCoordinator offsetCoordinator,
            ProducerIdManager producerIds,
            BrokerTransactionCoordinator transactions) {
        this.config = config;
        this.logManager = logManager;
        this.rings = rings;
        this.fetchManager = fetchManager;
        this.ensureOpen = ensureOpen;
        this.ioExecutor = ioExecutor;
        this.groupCoordinator = groupCoordinator;
        this.offsetCoordinator = offsetCoordinator;
        this.producerIds = producerIds;
        this.transactions = transactions;
        this.configs = new ConfigAdmin(config.nodeId(), logManager);
    }

    private <T> CompletableFuture<T> call(Supplier<T> body) {
        try {
            ensureOpen.run();
            return CompletableFuture.supplyAsync(body, ioExecutor);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<MetadataResponse> metadata(MetadataRequest request) {
        return call(() -> {
            Map<String, MetadataResponse.TopicMetadata> out = new LinkedHashMap<>();
            List<String> names = request.topics() == null
                    ? new ArrayList<>(logManager.topics().keySet())
                    : request.topics();
            for (String name : names) {
                out.put(name, describe(name, request.allowAutoTopicCreation()));
            }
            return new MetadataResponse(config.nodeId(), config.clusterId(), out);
        });
    }

    private MetadataResponse.TopicMetadata describe(String name, boolean allowAutoCreate) {
        try {
            Topic.validate(name);
            if (!logManager.topicExists(name) && allowAutoCreate && config.autoCreateTopics()) {
                try {
                    logManager.createTopic(name, config.numPartitions(), Map.of());
                } catch (io.weir.common.errors.TopicExistsException raced) {
                    // another client created it first: fine
                }
            }
            var meta = logManager.topicMetadata(name);
            return new MetadataResponse.TopicMetadata(
                    ApiError.NONE,
                    name,
                    meta.partitions(),
                    logManager.topicConfig(name).toMap());
        } catch (WeirException e) {
            return new MetadataResponse.TopicMetadata(ApiError.of(e), name, 0, Map.of());
        }
    }

    @Override
    public CompletableFuture<ProduceResponse> produce(ProduceRequest request) {
        try {
            ensureOpen.run();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        short acks = request.acks();
        Map<TopicPartition, ProduceResponse.PartitionResponse> results = new HashMap<>();
        if (acks != 0 && acks != 1 && acks != -1) {
            ApiError error =
                    new ApiError(Errors.INVALID_REQUIRED_ACKS, "acks=" + acks + " is not valid: use 0, 1 or -1 (all)");
            request.batches().keySet().forEach(tp -> results.put(tp, ProduceResponse.PartitionResponse.error(error)));
            return CompletableFuture.completedFuture(new ProduceResponse(results));
        }
        CompletableFuture<ProduceResponse> future = new CompletableFuture<>();
        Map<TopicPartition, ProduceResponse.PartitionResponse> concurrentResults =
                new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger outstanding = new AtomicInteger(request.batches().size());
        Runnable oneDone = () -> {
            if (outstanding.decrementAndGet() == 0) {
                future.complete(new ProduceResponse(concurrentResults));
            }
        };
        for (Map.Entry<TopicPartition, ByteBuffer> entry : request.batches().entrySet()) {
            TopicPartition tp = entry.getKey();
            try {
                Log log = logManager.log(tp);
                if (acks == 0) {
                    rings.append(log, entry.getValue(), null, request.timeoutMs());
                    concurrentResults.put(tp, new ProduceResponse.PartitionResponse(ApiError.NONE, -1L, -1L, -1L));
                    oneDone.run();
                } else {
                    rings.append(
                            log,
                            entry.getValue(),
                            (info, error) -> {
                                concurrentResults.put(
                                        tp,
                                        error != null
                                                ? ProduceResponse.PartitionResponse.error(ApiError.of(error))
                                                : new ProduceResponse.PartitionResponse(
                                                        ApiError.NONE, info.firstOffset(), -1L, log.logStartOffset()));
                                oneDone.run();
                            },
                            request.timeoutMs());
                }
            } catch (RuntimeException e) {
                // Not only WeirException: earlier partitions are already in their rings, so the request must still
                // be answered through oneDone, after their appends. Thrown from here, it would tell the client the
                // broker was done with every batch (whose buffer it then reuses) while a ring may still read some.
                if (!(e instanceof WeirException)) {
                    LOG.error("Produce to " + tp + " failed unexpectedly", e);
                }
                concurrentResults.put(tp, ProduceResponse.PartitionResponse.error(ApiError.of(e)));
                oneDone.run();
            }
        }
        if (request.batches().isEmpty()) {
            future.complete(new ProduceResponse(Map.of()));
        }
        return future;
    }

    @Override
    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        return fetch(request, ReadBuffers.HEAP);
    }

    @Override
    public CompletableFuture<FetchResponse> fetch(FetchRequest request, ReadBuffers buffers) {
        try {
            ensureOpen.run();
            return fetchManager.fetch(request, buffers);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The listener's read path: {@link #fetch} with the batches left in the segment files where allowed. */
    @Override
    public CompletableFuture<Fetched> fetchToFile(FetchRequest request) {
        try {
            ensureOpen.run();
            return fetchManager.fetchToFile(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ListOffsetsResponse> listOffsets(ListOffsetsRequest request) {
        return call(() -> {
            Map<TopicPartition, ListOffsetsResponse.PartitionOffset> out = new LinkedHashMap<>();
            request.timestamps().forEach((tp, spec) -> {
                try {
                    Log log = logManager.log(tp);
                    out.put(tp, lookup(log, spec, request.isolationLevel()));
                } catch (WeirException e) {
                    out.put(tp, new ListOffsetsResponse.PartitionOffset(ApiError.of(e), -1L, -1L));
                }
            });
            return new ListOffsetsResponse(out);
        });
    }

    private static ListOffsetsResponse.PartitionOffset lookup(Log log, long spec, IsolationLevel isolation) {
        log.ensureOnline("ListOffsets of " + log.topicPartition());
        if (spec == ListOffsetsRequest.EARLIEST) {
            return new ListOffsetsResponse.PartitionOffset(ApiError.NONE, log.logStartOffset(), -1L);
        }
        if (spec == ListOffsetsRequest.LATEST) {
            // A read_committed consumer's end of the partition is where it could read to: the last stable offset.
            long latest = isolation == IsolationLevel.READ_COMMITTED ? log.lastStableOffset() : log.highWatermark();
            return new ListOffsetsResponse.PartitionOffset(ApiError.NONE, latest, -1L);
        }
        if (spec == ListOffsetsRequest.MAX_TIMESTAMP) {
            long[] found = log.maxTimestampAndOffset();
            return found == null
                    ? new ListOffsetsResponse.PartitionOffset(ApiError.NONE, -1L, -1L)
                    : new ListOffsetsResponse.PartitionOffset(ApiError.NONE, found[0], found[1]);
        }
        if (spec < 0) {
            throw new InvalidRequestException("Timestamp " + spec + " for " + log.topicPartition()
                    + " is not a timestamp nor one of -1 (latest), -2 (earliest), -3 (max timestamp)");
        }
        long[] found = log.offsetForTimestamp(spec);
        return found == null
                ? new ListOffsetsResponse.PartitionOffset(ApiError.NONE, -1L, -1L)
                : new ListOffsetsResponse.PartitionOffset(ApiError.NONE, found[0], found[1]);
    }

    @Override
    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        return call(() -> {
            Map<String, ApiError> out = new LinkedHashMap<>();
            Map<String, Integer> counts = new HashMap<>();
            for (CreateTopicsRequest.NewTopicSpec spec : request.topics()) {
                try {
                    int partitions = spec.partitions() == -1 ? config.numPartitions() : spec.partitions();
                    Map<String, String> configs = spec.configs() == null ? Map.of() : spec.configs();
                    if (request.validateOnly()) {
                        Topic.validate(spec.name());
                        logManager.userTopicConfig(spec.name(), configs);
                        if (partitions < 1) {
                            throw new io.weir.common.errors.InvalidPartitionsException(
                                    "Topic " + spec.name() + " needs at least one partition, got " + partitions);
                        }
                        if (logManager.topicExists(spec.name())) {
                            throw new io.weir.common.errors.TopicExistsException(
                                    "Topic '" + spec.name() + "' already exists");
                        }
                    } else {
                        logManager.createTopic(spec.name(), partitions, configs);
                    }
                    out.put(spec.name(), ApiError.NONE);
                    counts.put(spec.name(), partitions);
                } catch (WeirException e) {
                    out.put(spec.name(), ApiError.of(e));
                }
            }
            return new CreateTopicsResponse(out, counts);
        });
    }

    @Override
    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        return call(() -> {
            Map<String, ApiError> out = new LinkedHashMap<>();
            for (String name : request.topics()) {
                try {
                    if (!logManager.topicExists(name)) {
                        throw UnknownTopicOrPartitionException.unknownTopic(name);
                    }
                    for (Log log : logManager.deleteTopic(name)) {
                        log.delete();
                    }
                    out.put(name, ApiError.NONE);
                } catch (WeirException e) {
                    out.put(name, ApiError.of(e));
                }
            }
            return new DeleteTopicsResponse(out);
        });
    }

    @Override
    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        return call(() -> {
            Map<String, ApiError> out = new LinkedHashMap<>();
            request.newTotalCounts().forEach((name, total) -> {
                try {
                    if (request.validateOnly()) {
                        int current = logManager.topicMetadata(name).partitions();
                        if (total <= current) {
                            throw new io.weir.common.errors.InvalidPartitionsException(
                                    "Topic " + name + " has " + current + " partitions; the new count " + total
                                            + " must be larger (partitions can be added but never removed)");
                        }
                    } else {
                        logManager.createPartitions(name, total);
                    }
                    out.put(name, ApiError.NONE);
                } catch (WeirException e) {
                    out.put(name, ApiError.of(e));
                }
            });
            return new CreatePartitionsResponse(out);
        });
    }

    @Override
    public CompletableFuture<DeleteRecordsResponse> deleteRecords(DeleteRecordsRequest request) {
        return call(() -> {
            Map<TopicPartition, DeleteRecordsResponse.PartitionResult> out = new LinkedHashMap<>();
            logManager
                    .deleteRecords(request.beforeOffsets())
                    .forEach((tp, result) -> out.put(
                            tp,
                            result.error() == null
                                    ? new DeleteRecordsResponse.PartitionResult(ApiError.NONE, result.lowWatermark())
                                    : DeleteRecordsResponse.PartitionResult.error(ApiError.of(result.error()))));
            return new DeleteRecordsResponse(out);
        });
    }

    @Override
    public CompletableFuture<DescribeClusterResponse> describeCluster() {
        return call(() -> new DescribeClusterResponse(
                config.clusterId(),
                config.nodeId(),
                List.of(new DescribeClusterResponse.Node(config.nodeId(), "embedded", -1))));
    }

    // ---- configuration: an alteration replaces the topic metadata file, so both run on the I/O executor ----

    @Override
    public CompletableFuture<DescribeConfigsResponse> describeConfigs(DescribeConfigsRequest request) {
        return call(() -> {
            Map<ConfigResourceKey, DescribeConfigsResponse.ResourceConfigs> out = new LinkedHashMap<>();
            for (ConfigResourceKey resource : request.resources()) {
                out.put(resource, configs.describe(resource));
            }
            return new DescribeConfigsResponse(out);
        });
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest request) {
        return call(() -> {
            Map<ConfigResourceKey, ApiError> out = new LinkedHashMap<>();
            request.resources()
                    .forEach(
                            (resource, ops) -> out.put(resource, configs.alter(resource, ops, request.validateOnly())));
            return new IncrementalAlterConfigsResponse(out);
        });
    }

    // ---- consumer groups: in memory, or a publish to the offsets topic's ring, so on the caller's thread ----

    /** Runs {@code body} on the caller's thread once the broker is known to be open. */
    private <T> CompletableFuture<T> direct(Supplier<CompletableFuture<T>> body) {
        try {
            ensureOpen.run();
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<JoinGroupResponse> joinGroup(JoinGroupRequest request) {
        return direct(() -> {
            CompletableFuture<JoinGroupResponse> answer = new CompletableFuture<>();
            groupCoordinator.join(request, answer::complete);
            return answer;
        });
    }

    @Override
    public CompletableFuture<SyncGroupResponse> syncGroup(SyncGroupRequest request) {
        return direct(() -> {
            CompletableFuture<SyncGroupResponse> answer = new CompletableFuture<>();
            groupCoordinator.sync(request, answer::complete);
            return answer;
        });
    }

    @Override
    public CompletableFuture<HeartbeatResponse> heartbeat(HeartbeatRequest request) {
        return direct(() -> CompletableFuture.completedFuture(groupCoordinator.heartbeat(request)));
    }

    @Override
    public CompletableFuture<LeaveGroupResponse> leaveGroup(LeaveGroupRequest request) {
        return direct(() -> CompletableFuture.completedFuture(groupCoordinator.leave(request)));
    }

    @Override
    public CompletableFuture<OffsetCommitResponse> offsetCommit(OffsetCommitRequest request) {
        return direct(() -> offsetCoordinator.commit(request));
    }

    @Override
    public CompletableFuture<OffsetFetchResponse> offsetFetch(OffsetFetchRequest request) {
        return direct(() -> CompletableFuture.completedFuture(offsetCoordinator.fetch(request)));
    }

    @Override
    public CompletableFuture<ListGroupsResponse> listGroups() {
        return direct(() -> CompletableFuture.completedFuture(offsetCoordinator.list()));
    }

    @Override
    public CompletableFuture<DescribeGroupsResponse> describeGroups(DescribeGroupsRequest request) {
        return direct(() -> CompletableFuture.completedFuture(offsetCoordinator.describe(request)));
    }

    @Override
    public CompletableFuture<DeleteGroupsResponse> deleteGroups(DeleteGroupsRequest request) {
        return direct(() -> offsetCoordinator.delete(request));
    }

    @Override
    public CompletableFuture<OffsetDeleteResponse> offsetDelete(OffsetDeleteRequest request) {
        return direct(() -> offsetCoordinator.deleteOffsets(request));
    }

    // ---- transactions: the coordinator's own thread (see BrokerTransactionCoordinator) ----

    @Override
    public CompletableFuture<InitProducerIdResponse> initProducerId(InitProducerIdRequest request) {
        if (request.transactionalId() == null) {
            // An idempotent producer: a fresh id at epoch 0. Its epoch bumps are its own (Kafka's KIP-360).
            return call(() -> new InitProducerIdResponse(ApiError.NONE, producerIds.generate(), (short) 0));
        }
        return direct(() -> transactions.initProducerId(request));
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponse> addPartitionsToTxn(AddPartitionsToTxnRequest request) {
        return direct(() -> transactions.addPartitionsToTxn(request));
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponse> addOffsetsToTxn(AddOffsetsToTxnRequest request) {
        return direct(() -> transactions.addOffsetsToTxn(request));
    }

    @Override
    public CompletableFuture<EndTxnResponse> endTxn(EndTxnRequest request) {
        return direct(() -> transactions.endTxn(request));
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponse> txnOffsetCommit(TxnOffsetCommitRequest request) {
        return direct(() -> transactions.txnOffsetCommit(request));
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponse> writeTxnMarkers(WriteTxnMarkersRequest request) {
        return direct(() -> transactions.writeTxnMarkers(request));
    }

    @Override
    public CompletableFuture<ListTransactionsResponse> listTransactions(ListTransactionsRequest request) {
        return direct(() -> transactions.listTransactions(request));
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponse> describeTransactions(DescribeTransactionsRequest request) {
        return direct(() -> transactions.describeTransactions(request));
    }

    @Override
    public CompletableFuture<DescribeProducersResponse> describeProducers(DescribeProducersRequest request) {
        return call(() -> {
            Map<TopicPartition, DescribeProducersResponse.PartitionProducers> out = new LinkedHashMap<>();
            for (TopicPartition tp : request.partitions()) {
                try {
                    List<DescribeProducersResponse.ProducerState> producers = new ArrayList<>();
                    for (ProducerStateEntry entry :
                            logManager.log(tp).producers().values()) {
                        producers.add(new DescribeProducersResponse.ProducerState(
                                entry.producerId(),
                                entry.epoch(),
                                entry.lastSeq(),
                                entry.lastTimestamp(),
                                entry.coordinatorEpoch(),
                                entry.currentTxnFirstOffset().orElse(-1L)));
                    }
                    producers.sort(Comparator.comparingLong(DescribeProducersResponse.ProducerState::producerId));
                    out.put(tp, new DescribeProducersResponse.PartitionProducers(ApiError.NONE, producers));
                } catch (WeirException e) {
                    out.put(tp, new DescribeProducersResponse.PartitionProducers(ApiError.of(e), List.of()));
                }
            }
            return new DescribeProducersResponse(out);
        });
    }
}
