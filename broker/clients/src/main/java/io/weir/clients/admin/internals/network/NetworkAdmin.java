package io.weir.clients.admin.internals.network;

import io.weir.clients.admin.AbortTransactionSpec;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.AdminConfig;
import io.weir.clients.admin.AlterConfigOp;
import io.weir.clients.admin.AlterConfigsOptions;
import io.weir.clients.admin.ClusterDescription;
import io.weir.clients.admin.Config;
import io.weir.clients.admin.ConfigEntry;
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
import io.weir.clients.internals.network.Convert;
import io.weir.clients.internals.network.KafkaErrors;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.config.ConfigResource;
import io.weir.common.errors.IllegalClientStateException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Weir's {@link Admin} over the network: kafka-clients' {@code Admin} makes the calls, and this class translates
 * requests and results at the edge (Kafka's {@code KafkaFuture}s become {@link CompletableFuture}s completing with
 * Weir's types and Weir's typed exceptions, see {@link KafkaFutures}). Consumer-group and transaction calls are in
 * {@link NetworkGroupAdmin}. Calls Kafka's admin has no counterpart for ({@link #findHangingTransactions}) fail
 * their future with {@link UnsupportedOperationException}.
 *
 * <p>Thread-safe, as Kafka's admin is. After {@link #close()} every call throws
 * {@link IllegalClientStateException}, as Weir's own admin does.
 */
public final class NetworkAdmin implements Admin {
    private final org.apache.kafka.clients.admin.Admin kafka;
    private final NetworkGroupAdmin groups;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param originals the keys as the user gave them; those Kafka's admin knows pass through */
    public NetworkAdmin(AdminConfig config, Map<?, ?> originals) {
        this.kafka = KafkaErrors.call(
                () -> org.apache.kafka.clients.admin.Admin.create(AdminKafkaConfig.admin(config, originals)));
        this.groups = new NetworkGroupAdmin(kafka, this);
    }

    /** Runs {@code call} unless the admin is closed; a synchronous Kafka failure becomes a failed future. */
    <T> T open(Supplier<T> call) {
        if (closed.get()) {
            throw new IllegalClientStateException("The admin client is closed");
        }
        return KafkaErrors.call(call);
    }

    @Override
    public KeyedResult<String, Void> createTopics(Collection<NewTopic> topics) {
        List<org.apache.kafka.clients.admin.NewTopic> kafkaTopics = new ArrayList<>();
        for (NewTopic t : topics) {
            Optional<Integer> partitions = t.numPartitions() < 0 ? Optional.empty() : Optional.of(t.numPartitions());
            kafkaTopics.add(new org.apache.kafka.clients.admin.NewTopic(t.name(), partitions, Optional.empty())
                    .configs(t.configs()));
        }
        return open(() -> KafkaFutures.keyed(kafka.createTopics(kafkaTopics).values(), n -> n, v -> null));
    }

    @Override
    public CompletableFuture<Set<String>> listTopics() {
        return open(() -> KafkaFutures.weir(kafka.listTopics().names(), Set::copyOf));
    }

    /** Kafka describes partitions and configurations in two calls; each topic's future waits for both. */
    @Override
    public KeyedResult<String, TopicDescription> describeTopics(Collection<String> topics) {
        return open(() -> {
            var descriptions = kafka.describeTopics(topics).topicNameValues();
            List<org.apache.kafka.common.config.ConfigResource> resources = new ArrayList<>();
            topics.forEach(t -> resources.add(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t)));
            var configs = kafka.describeConfigs(resources).values();
            Map<String, CompletableFuture<TopicDescription>> out = new HashMap<>();
            descriptions.forEach((name, description) -> {
                CompletableFuture<List<PartitionInfo>> partitions = KafkaFutures.weir(description, d -> {
                    List<PartitionInfo> list = new ArrayList<>();
                    d.partitions()
                            .forEach(p -> list.add(new PartitionInfo(
                                    name,
                                    p.partition(),
                                    p.leader() == null ? -1 : p.leader().id())));
                    return list;
                });
                CompletableFuture<Map<String, String>> topicConfigs = KafkaFutures.weir(
                        configs.get(new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name)),
                        c -> {
                            Map<String, String> values = new LinkedHashMap<>();
                            c.entries().forEach(e -> {
                                if (e.value() != null) {
                                    values.put(e.name(), e.value());
                                }
                            });
                            return values;
                        });
                // Fails as soon as the description does (an unknown topic), not after the configs' own retries.
                out.put(
                        name,
                        partitions.thenCompose(p -> topicConfigs.thenApply(c -> new TopicDescription(name, p, c))));
            });
            return new KeyedResult<>(out);
        });
    }

    @Override
    public KeyedResult<String, Void> deleteTopics(Collection<String> topics) {
        return open(() -> KafkaFutures.keyed(kafka.deleteTopics(topics).topicNameValues(), n -> n, v -> null));
    }

    @Override
    public KeyedResult<String, Void> createPartitions(Map<String, Integer> newTotalCounts) {
        Map<String, org.apache.kafka.clients.admin.NewPartitions> request = new HashMap<>();
        newTotalCounts.forEach((t, n) -> request.put(t, org.apache.kafka.clients.admin.NewPartitions.increaseTo(n)));
        return open(() -> KafkaFutures.keyed(kafka.createPartitions(request).values(), n -> n, v -> null));
    }

    @Override
    public KeyedResult<TopicPartition, ListOffsetsResultInfo> listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        var request = Convert.toKafka(specs, NetworkAdmin::kafka);
        return open(() -> {
            var result = kafka.listOffsets(request);
            Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> out = new HashMap<>();
            request.keySet()
                    .forEach(tp -> out.put(
                            Convert.weir(tp),
                            KafkaFutures.weir(
                                    result.partitionResult(tp),
                                    i -> new ListOffsetsResultInfo(i.offset(), i.timestamp()))));
            return new KeyedResult<>(out);
        });
    }

    static org.apache.kafka.clients.admin.OffsetSpec kafka(OffsetSpec spec) {
        if (spec instanceof OffsetSpec.Earliest) {
            return org.apache.kafka.clients.admin.OffsetSpec.earliest();
        }
        if (spec instanceof OffsetSpec.Latest) {
            return org.apache.kafka.clients.admin.OffsetSpec.latest();
        }
        if (spec instanceof OffsetSpec.MaxTimestamp) {
            return org.apache.kafka.clients.admin.OffsetSpec.maxTimestamp();
        }
        return org.apache.kafka.clients.admin.OffsetSpec.forTimestamp(((OffsetSpec.ForTimestamp) spec).timestamp());
    }

    @Override
    public KeyedResult<TopicPartition, DeletedRecords> deleteRecords(
            Map<TopicPartition, RecordsToDelete> recordsToDelete) {
        requireNoNulls(recordsToDelete, "deleteRecords");
        var request = Convert.toKafka(
                recordsToDelete, r -> org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(r.beforeOffset()));
        return open(() -> KafkaFutures.keyed(
                kafka.deleteRecords(request).lowWatermarks(),
                Convert::weir,
                d -> new DeletedRecords(d.lowWatermark())));
    }

    @Override
    public CompletableFuture<ClusterDescription> describeCluster() {
        return open(() -> {
            var result = kafka.describeCluster();
            CompletableFuture<String> id = KafkaFutures.weir(result.clusterId(), v -> v);
            CompletableFuture<Integer> controller =
                    KafkaFutures.weir(result.controller(), n -> n == null ? -1 : n.id());
            CompletableFuture<List<ClusterDescription.Node>> nodes = KafkaFutures.weir(result.nodes(), list -> {
                List<ClusterDescription.Node> out = new ArrayList<>();
                list.forEach(n -> out.add(new ClusterDescription.Node(n.id(), n.host(), n.port())));
                return out;
            });
            return id.thenCombine(controller, (i, c) -> new Object[] {i, c})
                    .thenCombine(nodes, (ic, n) -> new ClusterDescription((String) ic[0], (Integer) ic[1], n));
        });
    }

    @Override
    public KeyedResult<ConfigResource, Config> describeConfigs(Collection<ConfigResource> resources) {
        requireNoNulls(resources, "describeConfigs");
        List<org.apache.kafka.common.config.ConfigResource> request = new ArrayList<>();
        resources.forEach(r -> request.add(kafka(r)));
        return open(() -> KafkaFutures.keyed(kafka.describeConfigs(request).values(), NetworkAdmin::weir, c -> {
            List<ConfigEntry> entries = new ArrayList<>();
            c.entries()
                    .forEach(e -> entries.add(
                            new ConfigEntry(e.name(), e.value(), weir(e.source()), e.isSensitive(), e.isReadOnly())));
            return new Config(entries);
        }));
    }

    @Override
    public KeyedResult<ConfigResource, Void> incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> configs) {
        return incrementalAlterConfigs(configs, new AlterConfigsOptions());
    }

    @Override
    public KeyedResult<ConfigResource, Void> incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> configs, AlterConfigsOptions options) {
        requireNoNulls(configs, "incrementalAlterConfigs");
        Map<org.apache.kafka.common.config.ConfigResource, Collection<org.apache.kafka.clients.admin.AlterConfigOp>>
                request = new HashMap<>();
        configs.forEach((resource, ops) -> {
            requireNoNulls(ops, "incrementalAlterConfigs");
            List<org.apache.kafka.clients.admin.AlterConfigOp> kafkaOps = new ArrayList<>();
            ops.forEach(op -> kafkaOps.add(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry(
                            op.configEntry().name(), op.configEntry().value()),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.valueOf(
                            op.opType().name()))));
            request.put(kafka(resource), kafkaOps);
        });
        var kafkaOptions =
                new org.apache.kafka.clients.admin.AlterConfigsOptions().validateOnly(options.shouldValidateOnly());
        return open(() -> KafkaFutures.keyed(
                kafka.incrementalAlterConfigs(request, kafkaOptions).values(), NetworkAdmin::weir, v -> null));
    }

    private static org.apache.kafka.common.config.ConfigResource kafka(ConfigResource r) {
        return new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.valueOf(
                        r.type().name()),
                r.name());
    }

    private static ConfigResource weir(org.apache.kafka.common.config.ConfigResource r) {
        return new ConfigResource(ConfigResource.Type.valueOf(r.type().name()), r.name());
    }

    /**
     * Kafka's sources, in Weir's fewer words: a dynamic broker-level setting is, to a topic, a default the broker
     * changed, which Weir calls {@link ConfigEntry.ConfigSource#STATIC_BROKER_CONFIG}.
     */
    private static ConfigEntry.ConfigSource weir(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource source) {
        return switch (source) {
            case DYNAMIC_TOPIC_CONFIG -> ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
            case DEFAULT_CONFIG -> ConfigEntry.ConfigSource.DEFAULT_CONFIG;
            case STATIC_BROKER_CONFIG, DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG -> ConfigEntry.ConfigSource
                    .STATIC_BROKER_CONFIG;
            default -> ConfigEntry.ConfigSource.UNKNOWN;
        };
    }

    /** Weir's admin refuses a null map, key or value at once; so does this one (Map.of cannot be asked about null). */
    static void requireNoNulls(Map<?, ?> map, String call) {
        if (map == null || map.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new IllegalArgumentException(call + " needs a map without null keys or values");
        }
    }

    static void requireNoNulls(Collection<?> values, String call) {
        if (values == null || values.stream().anyMatch(v -> v == null)) {
            throw new IllegalArgumentException(call + " needs a collection without null elements");
        }
    }

    // ---- consumer groups and transactions: NetworkGroupAdmin ----

    @Override
    public CompletableFuture<Collection<ConsumerGroupListing>> listConsumerGroups() {
        return groups.listConsumerGroups();
    }

    @Override
    public KeyedResult<String, ConsumerGroupDescription> describeConsumerGroups(Collection<String> groupIds) {
        return groups.describeConsumerGroups(groupIds);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId) {
        return groups.listConsumerGroupOffsets(groupId);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, GroupOffsetLag>> describeConsumerGroupLag(String groupId) {
        return groups.describeConsumerGroupLag(groupId);
    }

    @Override
    public KeyedResult<TopicPartition, Void> alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        return groups.alterConsumerGroupOffsets(groupId, offsets);
    }

    @Override
    public KeyedResult<TopicPartition, OffsetAndMetadata> resetConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetSpec> specs) {
        return groups.resetConsumerGroupOffsets(groupId, specs);
    }

    @Override
    public KeyedResult<String, Void> deleteConsumerGroups(Collection<String> groupIds) {
        return groups.deleteConsumerGroups(groupIds);
    }

    @Override
    public CompletableFuture<Collection<TransactionListing>> listTransactions() {
        return groups.listTransactions(ListTransactionsOptions.all());
    }

    @Override
    public CompletableFuture<Collection<TransactionListing>> listTransactions(ListTransactionsOptions options) {
        return groups.listTransactions(options);
    }

    @Override
    public KeyedResult<String, TransactionDescription> describeTransactions(Collection<String> transactionalIds) {
        return groups.describeTransactions(transactionalIds);
    }

    @Override
    public KeyedResult<TopicPartition, PartitionProducerState> describeProducers(
            Collection<TopicPartition> partitions) {
        return groups.describeProducers(partitions);
    }

    @Override
    public CompletableFuture<Void> abortTransaction(AbortTransactionSpec spec) {
        return groups.abortTransaction(spec);
    }

    @Override
    public CompletableFuture<Collection<HangingTransaction>> findHangingTransactions(
            FindHangingTransactionsOptions options) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("findHangingTransactions is not "
                + "available over the network: Kafka's Admin has no such call (it is a kafka-transactions.sh "
                + "tool); use describeProducers and listTransactions"));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            KafkaErrors.run(kafka::close);
        }
    }
}
