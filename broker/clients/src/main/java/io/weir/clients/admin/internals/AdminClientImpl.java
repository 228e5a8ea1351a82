package io.weir.clients.admin.internals;

import io.weir.clients.admin.AbortTransactionSpec;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.AdminConfig;
import io.weir.clients.admin.AlterConfigOp;
import io.weir.clients.admin.AlterConfigsOptions;
import io.weir.clients.admin.ClusterDescription;
import io.weir.clients.admin.Config;
import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.DeletedRecords;
import io.weir.clients.admin.FindHangingTransactionsOptions;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.HangingTransaction;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.ListOffsetsResultInfo;
import io.weir.clients.admin.ListTransactionsOptions;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.PartitionProducerState;
import io.weir.clients.admin.RecordsToDelete;
import io.weir.clients.admin.TopicDescription;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionListing;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.Futures;
import io.weir.common.IsolationLevel;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.config.ConfigResource;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.CreatePartitionsRequest;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.DeleteRecordsResponse;
import io.weir.common.protocol.DeleteTopicsRequest;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.utils.Time;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@link Admin} over a {@link BrokerApi}: each call is one broker request whose per-key errors are fanned
 * out into one future per key. Holds no state but the closed flag, so it is thread-safe; futures complete on
 * whatever thread the transport completes them on. The consumer-group calls are in {@link ConsumerGroupCalls},
 * the transaction calls in {@link TransactionCalls}, the configuration calls in {@link ConfigCalls}.
 */
public final class AdminClientImpl implements Admin {
    private final AdminConfig config;
    private final BrokerApi broker;
    private final ConsumerGroupCalls groups;
    private final TransactionCalls transactions;
    private final ConfigCalls configs;
    private final AtomicBoolean closed = new AtomicBoolean();

    public AdminClientImpl(AdminConfig config, BrokerApi broker, Time time) {
        this.config = config;
        this.broker = broker;
        this.groups = new ConsumerGroupCalls(this, broker);
        this.transactions = new TransactionCalls(this, broker, time);
        this.configs = new ConfigCalls(this, broker);
    }

    @Override
    public KeyedResult<String, Void> createTopics(Collection<NewTopic> topics) {
        ensureOpen("createTopics");
        List<CreateTopicsRequest.NewTopicSpec> specs = new ArrayList<>();
        for (NewTopic t : topics) {
            specs.add(new CreateTopicsRequest.NewTopicSpec(t.name(), t.numPartitions(), t.configs()));
        }
        var response = withTimeout(broker.createTopics(new CreateTopicsRequest(specs, false)), "createTopics");
        return fanOut(names(topics, NewTopic::name), response, r -> r.results(), e -> null, "createTopics");
    }

    @Override
    public CompletableFuture<Set<String>> listTopics() {
        ensureOpen("listTopics");
        return withTimeout(broker.metadata(MetadataRequest.allTopics()), "listTopics")
                .thenApply(r -> {
                    Set<String> names = new TreeSet<>();
                    for (String name : r.topics().keySet()) {
                        if (!name.startsWith("__")) {
                            names.add(name);
                        }
                    }
                    return Set.copyOf(names);
                });
    }

    @Override
    public KeyedResult<String, TopicDescription> describeTopics(Collection<String> topics) {
        ensureOpen("describeTopics");
        Set<String> names = new LinkedHashSet<>(topics);
        var response = withTimeout(broker.metadata(new MetadataRequest(List.copyOf(names), false)), "describeTopics");
        Map<String, CompletableFuture<TopicDescription>> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, response.thenApply(r -> {
                MetadataResponse.TopicMetadata md = r.topics().get(name);
                if (md == null) {
                    throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist");
                }
                if (!md.error().isSuccess()) {
                    throw md.error().exception();
                }
                return describe(r.brokerId(), md);
            }));
        }
        return new KeyedResult<>(unwrapping(values));
    }

    static TopicDescription describe(int brokerId, MetadataResponse.TopicMetadata md) {
        List<PartitionInfo> partitions = new ArrayList<>(md.partitions());
        for (int p = 0; p < md.partitions(); p++) {
            partitions.add(new PartitionInfo(md.topic(), p, brokerId));
        }
        return new TopicDescription(md.topic(), partitions, md.configs() == null ? Map.of() : md.configs());
    }

    @Override
    public KeyedResult<String, Void> deleteTopics(Collection<String> topics) {
        ensureOpen("deleteTopics");
        Set<String> names = new LinkedHashSet<>(topics);
        var response = withTimeout(broker.deleteTopics(new DeleteTopicsRequest(List.copyOf(names))), "deleteTopics");
        return fanOut(names, response, r -> r.results(), e -> null, "deleteTopics");
    }

    @Override
    public KeyedResult<String, Void> createPartitions(Map<String, Integer> newTotalCounts) {
        ensureOpen("createPartitions");
        var response = withTimeout(
                broker.createPartitions(new CreatePartitionsRequest(Map.copyOf(newTotalCounts), false)),
                "createPartitions");
        return fanOut(newTotalCounts.keySet(), response, r -> r.results(), e -> null, "createPartitions");
    }

    @Override
    public KeyedResult<TopicPartition, ListOffsetsResultInfo> listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        ensureOpen("listOffsets");
        return lookupOffsets(specs);
    }

    /** {@link #listOffsets} without the closed check, for calls already under way. */
    KeyedResult<TopicPartition, ListOffsetsResultInfo> lookupOffsets(Map<TopicPartition, OffsetSpec> specs) {
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        specs.forEach((tp, spec) -> timestamps.put(tp, toTimestamp(spec)));
        var response = withTimeout(
                broker.listOffsets(new ListOffsetsRequest(IsolationLevel.READ_UNCOMMITTED, timestamps)), "listOffsets");
        Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> values = new LinkedHashMap<>();
        for (TopicPartition tp : timestamps.keySet()) {
            values.put(tp, response.thenApply(r -> {
                ListOffsetsResponse.PartitionOffset po = r.partitions().get(tp);
                if (po == null) {
                    throw new UnknownServerException("The broker's listOffsets answer left out partition " + tp);
                }
                if (!po.error().isSuccess()) {
                    throw po.error().exception();
                }
                return new ListOffsetsResultInfo(po.offset(), po.timestamp());
            }));
        }
        return new KeyedResult<>(unwrapping(values));
    }

    static long toTimestamp(OffsetSpec spec) {
        if (spec instanceof OffsetSpec.ForTimestamp t) {
            return t.timestamp();
        }
        if (spec instanceof OffsetSpec.Earliest) {
            return ListOffsetsRequest.EARLIEST;
        }
        if (spec instanceof OffsetSpec.Latest) {
            return ListOffsetsRequest.LATEST;
        }
        return ListOffsetsRequest.MAX_TIMESTAMP;
    }

    @Override
    public KeyedResult<TopicPartition, DeletedRecords> deleteRecords(
            Map<TopicPartition, RecordsToDelete> recordsToDelete) {
        ensureOpen("deleteRecords");
        requireNonNull(recordsToDelete, "deleteRecords", "a map of partitions to the records to delete");
        Map<TopicPartition, Long> beforeOffsets = new LinkedHashMap<>();
        recordsToDelete.forEach((tp, records) -> {
            requireNonNull(tp, "deleteRecords", "partitions (a key of its map)");
            requireNonNull(records, "deleteRecords", "the records to delete of " + tp);
            beforeOffsets.put(tp, records.beforeOffset());
        });
        var response = withTimeout(broker.deleteRecords(new DeleteRecordsRequest(beforeOffsets)), "deleteRecords");
        Map<TopicPartition, CompletableFuture<DeletedRecords>> values = new LinkedHashMap<>();
        for (TopicPartition tp : beforeOffsets.keySet()) {
            values.put(tp, response.thenApply(r -> {
                DeleteRecordsResponse.PartitionResult result = r.partitions().get(tp);
                if (result == null) {
                    throw new UnknownServerException("The broker's deleteRecords answer left out partition " + tp);
                }
                if (!result.error().isSuccess()) {
                    throw result.error().exception();
                }
                return new DeletedRecords(result.lowWatermark());
            }));
        }
        return new KeyedResult<>(unwrapping(values));
    }

    @Override
    public CompletableFuture<ClusterDescription> describeCluster() {
        ensureOpen("describeCluster");
        return unwrapping(
                withTimeout(broker.describeCluster(), "describeCluster").thenApply(r -> {
                    List<ClusterDescription.Node> nodes = new ArrayList<>();
                    r.nodes().forEach(n -> nodes.add(new ClusterDescription.Node(n.id(), n.host(), n.port())));
                    return new ClusterDescription(r.clusterId(), r.controllerId(), nodes);
                }));
    }

    @Override
    public KeyedResult<ConfigResource, Config> describeConfigs(Collection<ConfigResource> resources) {
        ensureOpen("describeConfigs");
        requireElements(resources, "describeConfigs", "resources");
        return configs.describe(resources);
    }

    @Override
    public KeyedResult<ConfigResource, Void> incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> alterations) {
        return incrementalAlterConfigs(alterations, new AlterConfigsOptions());
    }

    @Override
    public KeyedResult<ConfigResource, Void> incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> alterations, AlterConfigsOptions options) {
        ensureOpen("incrementalAlterConfigs");
        requireNonNull(alterations, "incrementalAlterConfigs", "a map of resources to operations");
        requireNonNull(options, "incrementalAlterConfigs", "options");
        alterations.forEach((resource, ops) -> {
            requireNonNull(resource, "incrementalAlterConfigs", "resources (a key of its map)");
            requireElements(ops, "incrementalAlterConfigs", "operations for " + resource);
        });
        return configs.incrementalAlter(alterations, options);
    }

    @Override
    public CompletableFuture<Collection<ConsumerGroupListing>> listConsumerGroups() {
        ensureOpen("listConsumerGroups");
        return groups.list();
    }

    @Override
    public KeyedResult<String, ConsumerGroupDescription> describeConsumerGroups(Collection<String> groupIds) {
        ensureOpen("describeConsumerGroups");
        return groups.describe(groupIds);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId) {
        ensureOpen("listConsumerGroupOffsets");
        return groups.offsets(groupId);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, GroupOffsetLag>> describeConsumerGroupLag(String groupId) {
        ensureOpen("describeConsumerGroupLag");
        return groups.lag(groupId);
    }

    @Override
    public KeyedResult<TopicPartition, Void> alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        ensureOpen("alterConsumerGroupOffsets");
        return groups.alterOffsets(groupId, offsets);
    }

    @Override
    public KeyedResult<TopicPartition, OffsetAndMetadata> resetConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetSpec> specs) {
        ensureOpen("resetConsumerGroupOffsets");
        return groups.resetOffsets(groupId, specs);
    }

    @Override
    public KeyedResult<String, Void> deleteConsumerGroups(Collection<String> groupIds) {
        ensureOpen("deleteConsumerGroups");
        return groups.delete(groupIds);
    }

    @Override
    public CompletableFuture<Collection<TransactionListing>> listTransactions() {
        return listTransactions(ListTransactionsOptions.all());
    }

    @Override
    public CompletableFuture<Collection<TransactionListing>> listTransactions(ListTransactionsOptions options) {
        ensureOpen("listTransactions");
        requireNonNull(options, "listTransactions", "options");
        return transactions.list(options);
    }

    @Override
    public KeyedResult<String, TransactionDescription> describeTransactions(Collection<String> transactionalIds) {
        ensureOpen("describeTransactions");
        requireElements(transactionalIds, "describeTransactions", "transactional ids");
        return transactions.describe(transactionalIds);
    }

    @Override
    public KeyedResult<TopicPartition, PartitionProducerState> describeProducers(
            Collection<TopicPartition> partitions) {
        ensureOpen("describeProducers");
        requireElements(partitions, "describeProducers", "partitions");
        return transactions.describeProducers(partitions);
    }

    @Override
    public CompletableFuture<Void> abortTransaction(AbortTransactionSpec spec) {
        ensureOpen("abortTransaction");
        requireNonNull(spec, "abortTransaction", "spec");
        return transactions.abort(spec);
    }

    @Override
    public CompletableFuture<Collection<HangingTransaction>> findHangingTransactions(
            FindHangingTransactionsOptions options) {
        ensureOpen("findHangingTransactions");
        requireNonNull(options, "findHangingTransactions", "options");
        return transactions.findHanging(options);
    }

    private static void requireNonNull(Object value, String operation, String what) {
        if (value == null) {
            throw new IllegalArgumentException(operation + " needs " + what + ", got null");
        }
    }

    private static void requireElements(Collection<?> values, String operation, String what) {
        requireNonNull(values, operation, what);
        for (Object v : values) { // not contains(null): immutable collections throw on it
            if (v == null) {
                throw new IllegalArgumentException(operation + " got a null among its " + what + " " + values);
            }
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private void ensureOpen(String operation) {
        if (closed.get()) {
            throw new IllegalClientStateException("Cannot call " + operation + " after the admin client "
                    + (config.clientId().isEmpty() ? "" : "'" + config.clientId() + "' ") + "has been closed");
        }
    }

    <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, String operation) {
        CompletableFuture<T> out = new CompletableFuture<>();
        future.orTimeout(config.requestTimeoutMs(), TimeUnit.MILLISECONDS).whenComplete((v, t) -> {
            if (t == null) {
                out.complete(v);
            } else if (Futures.unwrap(t) instanceof java.util.concurrent.TimeoutException) {
                out.completeExceptionally(new TimeoutException(operation + " got no answer from the broker within "
                        + AdminConfig.REQUEST_TIMEOUT_MS + "=" + config.requestTimeoutMs() + " ms"));
            } else {
                out.completeExceptionally(Futures.asWeir(t, operation));
            }
        });
        return out;
    }

    private static <T> Set<String> names(Collection<T> items, Function<T, String> name) {
        Set<String> names = new LinkedHashSet<>();
        items.forEach(i -> names.add(name.apply(i)));
        return names;
    }

    private static <R> KeyedResult<String, Void> fanOut(
            Collection<String> keys,
            CompletableFuture<R> response,
            Function<R, Map<String, ApiError>> results,
            Function<ApiError, Void> onSuccess,
            String operation) {
        Map<String, CompletableFuture<Void>> values = new LinkedHashMap<>();
        for (String key : keys) {
            values.put(key, response.thenApply(r -> {
                ApiError error = results.apply(r).get(key);
                if (error == null) {
                    throw new UnknownServerException("The broker's " + operation + " answer left out '" + key + "'");
                }
                if (!error.isSuccess()) {
                    throw error.exception();
                }
                return onSuccess.apply(error);
            }));
        }
        return new KeyedResult<>(unwrapping(values));
    }

    /** Futures that fail with the typed exception itself rather than a CompletionException around it. */
    static <K, V> Map<K, CompletableFuture<V>> unwrapping(Map<K, CompletableFuture<V>> futures) {
        Map<K, CompletableFuture<V>> out = new LinkedHashMap<>();
        futures.forEach((k, f) -> out.put(k, unwrapping(f)));
        return out;
    }

    static <V> CompletableFuture<V> unwrapping(CompletableFuture<V> future) {
        CompletableFuture<V> out = new CompletableFuture<>();
        future.whenComplete((v, t) -> {
            if (t == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(Futures.asWeir(t, "admin request"));
            }
        });
        return out;
    }
}
