package io.weir.clients.admin;

import io.weir.clients.admin.internals.AdminClientImpl;
import io.weir.clients.admin.internals.network.NetworkAdmin;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.network.NetworkClients;
import io.weir.common.TopicPartition;
import io.weir.common.config.ConfigResource;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Manages topics and their configuration and inspects the cluster, as Kafka's {@code Admin} does. Every call
 * is asynchronous and returns futures that complete with the typed exception the broker's error code maps to
 * ({@link io.weir.common.errors.InvalidTopicException}, {@link io.weir.common.errors.TopicExistsException},
 * {@link io.weir.common.errors.InvalidPartitionsException}, {@link io.weir.common.errors.GroupIdNotFoundException},
 * {@link io.weir.common.errors.GroupNotEmptyException}, ...) or with a
 * {@link io.weir.common.errors.TimeoutException} after {@code request.timeout.ms}.
 *
 * <p>Thread-safe. After {@link #close()} every call throws
 * {@link io.weir.common.errors.IllegalClientStateException}.
 */
public interface Admin extends AutoCloseable {

    static Admin create(Properties properties) {
        return create(AdminConfig.from(properties), properties);
    }

    static Admin create(Map<String, ?> configs) {
        return create(AdminConfig.from(configs), configs);
    }

    static Admin create(AdminConfig config) {
        return create(config, Map.of());
    }

    /**
     * @param originals the keys as given, so that a network admin passes Kafka-only keys (e.g. {@code
     *                  retries}) through to kafka-clients' admin
     */
    private static Admin create(AdminConfig config, Map<?, ?> originals) {
        if (NetworkClients.selects(config.bootstrapServers())) {
            return new NetworkAdmin(config, originals);
        }
        return new AdminClientImpl(config, Transports.connect(config.bootstrapServers()), Time.SYSTEM);
    }

    /** Creates topics; per topic, fails with InvalidTopicException, TopicExistsException or InvalidConfigurationException. */
    KeyedResult<String, Void> createTopics(Collection<NewTopic> topics);

    /** The names of all topics except internal ones (names starting with {@code __}). */
    CompletableFuture<Set<String>> listTopics();

    /** Partition count and configuration per topic; an unknown topic fails with UnknownTopicOrPartitionException. */
    KeyedResult<String, TopicDescription> describeTopics(Collection<String> topics);

    KeyedResult<String, Void> deleteTopics(Collection<String> topics);

    /**
     * Raises each topic's partition count to the given total; a total that is not larger than the current
     * count fails with {@link io.weir.common.errors.InvalidPartitionsException}.
     */
    KeyedResult<String, Void> createPartitions(Map<String, Integer> newTotalCounts);

    KeyedResult<TopicPartition, ListOffsetsResultInfo> listOffsets(Map<TopicPartition, OffsetSpec> specs);

    /**
     * Deletes every record of each partition before the given offset, as Kafka's {@code deleteRecords} (Kafka
     * Streams calls it after each commit to purge its repartition topics): the partition's log start offset moves
     * up to it, durably, so reads below it fail with {@link io.weir.common.errors.OffsetOutOfRangeException} and the
     * earliest offset is the new start; whole segments below it are removed from disk. Each partition's future holds
     * its low watermark (the log start after the call; an offset at or below the current start deletes nothing and
     * answers the current start), or fails with {@link io.weir.common.errors.UnknownTopicOrPartitionException},
     * {@link io.weir.common.errors.OffsetOutOfRangeException} for an offset past the high watermark,
     * {@link io.weir.common.errors.PolicyViolationException} for a topic whose {@code cleanup.policy} is
     * {@code compact} only, or {@link io.weir.common.errors.KafkaStorageException}.
     *
     * @throws IllegalArgumentException if the map, or a key or value in it, is null
     */
    KeyedResult<TopicPartition, DeletedRecords> deleteRecords(Map<TopicPartition, RecordsToDelete> recordsToDelete);

    CompletableFuture<ClusterDescription> describeCluster();

    // ---- configuration ----
    //
    // A null collection or map, or a null element, key or operation in one, throws IllegalArgumentException at
    // once. Everything else is answered per resource, so one bad resource never fails the others.

    /**
     * Every configuration key of each resource, as Kafka's {@code describeConfigs}. For a
     * {@link ConfigResource.Type#TOPIC}: each topic key with its effective value and its source —
     * {@link ConfigEntry.ConfigSource#DYNAMIC_TOPIC_CONFIG} for the topic's own override,
     * {@link ConfigEntry.ConfigSource#STATIC_BROKER_CONFIG} for a default the broker's setting changed (e.g.
     * {@code log.retention.ms}), {@link ConfigEntry.ConfigSource#DEFAULT_CONFIG} for Kafka's default. For a
     * {@link ConfigResource.Type#BROKER} (its node id, or {@code ""}): the defaults topics start from, under their
     * broker keys ({@code log.retention.ms}, {@code log.cleanup.policy}, ...), read-only. An unknown topic fails
     * with {@link io.weir.common.errors.UnknownTopicOrPartitionException}; another broker's id with
     * {@link io.weir.common.errors.InvalidRequestException}.
     */
    KeyedResult<ConfigResource, Config> describeConfigs(Collection<ConfigResource> resources);

    /** {@link #incrementalAlterConfigs(Map, AlterConfigsOptions)} with the default options: the changes are applied. */
    KeyedResult<ConfigResource, Void> incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> configs);

    /**
     * Changes topic configurations, as Kafka's {@code incrementalAlterConfigs}: per resource, its operations (see
     * {@link AlterConfigOp.OpType}) apply in order to the topic's overrides, and the result is validated whole;
     * then it is written durably (it survives a broker restart) and takes effect on the topic's partitions at
     * once — retention, segment rolling, {@code max.message.bytes} and {@code cleanup.policy} from the next append
     * or retention run. A resource's operations apply all or none. Per resource, fails with
     * {@link io.weir.common.errors.UnknownTopicOrPartitionException} for an unknown topic,
     * {@link io.weir.common.errors.InvalidConfigurationException} naming the key (and value) for an unknown key, a
     * bad value, or APPEND/SUBTRACT on a key that is not a list, and
     * {@link io.weir.common.errors.InvalidRequestException} for a key named twice or a
     * {@link ConfigResource.Type#BROKER} resource (broker configuration is read once, at start).
     */
    KeyedResult<ConfigResource, Void> incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> configs, AlterConfigsOptions options);

    // ---- consumer groups ----
    //
    // A null collection or map, or a null element, key or value in one, throws IllegalArgumentException at
    // once. A null or empty group id is not thrown: the futures for that group fail with
    // InvalidGroupIdException naming it, as in Kafka, and the other groups of the call go ahead.

    /** Every group with the consumer protocol type (or none, for groups that only ever had offsets committed). */
    CompletableFuture<Collection<ConsumerGroupListing>> listConsumerGroups();

    /**
     * State, strategy, generation and members of each group, with every member's assigned partitions decoded
     * from its assignment bytes. An unknown group fails with {@link io.weir.common.errors.GroupIdNotFoundException};
     * a group of another protocol type (e.g. {@code connect}) with
     * {@link io.weir.common.errors.InconsistentGroupProtocolException}; an assignment not in the consumer
     * protocol's layout with {@link io.weir.common.errors.SerializationException} naming the member.
     */
    KeyedResult<String, ConsumerGroupDescription> describeConsumerGroups(Collection<String> groupIds);

    /**
     * The group's committed offsets, of every partition it committed, sorted by partition. A group the broker
     * does not know has none: an empty map, as Kafka's Admin answers (use {@link #describeConsumerGroups} to
     * tell whether the group exists).
     */
    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId);

    /**
     * Per partition the group committed: the committed offset, the log end offset and the lag between them,
     * as {@code kafka-consumer-groups --describe} shows them. Fails as {@link #listConsumerGroupOffsets} does,
     * and with the partition's error (e.g. {@link io.weir.common.errors.UnknownTopicOrPartitionException})
     * when the log end of a partition cannot be read.
     */
    CompletableFuture<Map<TopicPartition, GroupOffsetLag>> describeConsumerGroupLag(String groupId);

    /**
     * Sets the group's committed offsets, as an admin tool does: without a generation, so only a group with
     * no active members accepts it; while members exist each partition fails with
     * {@link io.weir.common.errors.GroupNotEmptyException} and nothing changes. A group that does not exist
     * yet is created with these offsets.
     */
    KeyedResult<TopicPartition, Void> alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets);

    /**
     * Moves the group's committed offsets to the earliest or latest offset of each partition, or to the
     * first offset at or after a timestamp, then commits them as {@link #alterConsumerGroupOffsets} does. A
     * spec that finds no record (a timestamp after the last record) resolves to the log end offset, as
     * {@code kafka-consumer-groups --reset-offsets} does. Each partition's future holds the offset committed,
     * or fails with the lookup's or the commit's error.
     */
    KeyedResult<TopicPartition, OffsetAndMetadata> resetConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetSpec> specs);

    /**
     * Deletes groups and their committed offsets. A group with active members fails with
     * {@link io.weir.common.errors.GroupNotEmptyException}, an unknown one with
     * {@link io.weir.common.errors.GroupIdNotFoundException}.
     */
    KeyedResult<String, Void> deleteConsumerGroups(Collection<String> groupIds);

    // ---- transactions ----
    //
    // A null collection, or a null element in one, throws IllegalArgumentException at once.

    /** Every transactional id the coordinator knows, with its producer id and state. */
    CompletableFuture<Collection<TransactionListing>> listTransactions();

    /** The transactional ids that pass every filter of {@code options}. */
    CompletableFuture<Collection<TransactionListing>> listTransactions(ListTransactionsOptions options);

    /**
     * Each id's state at the coordinator: producer id and epoch, timeout, and the open transaction's start and
     * partitions. An unknown id fails with {@link io.weir.common.errors.TransactionalIdNotFoundException}.
     */
    KeyedResult<String, TransactionDescription> describeTransactions(Collection<String> transactionalIds);

    /**
     * The producers each partition holds state for, with the first offset of their open transaction there
     * (Kafka's DescribeProducers). An unknown partition fails with UnknownTopicOrPartitionException.
     */
    KeyedResult<TopicPartition, PartitionProducerState> describeProducers(Collection<TopicPartition> partitions);

    /**
     * Ends a partition's open transaction with an ABORT marker, as {@code kafka-transactions.sh abort} does: the
     * tool for a hanging transaction, one no coordinator will end. Fails with the partition's error.
     */
    CompletableFuture<Void> abortTransaction(AbortTransactionSpec spec);

    /**
     * Open transactions nothing will end, found as {@code kafka-transactions.sh find-hanging} finds them (see
     * {@link FindHangingTransactionsOptions}); each can be ended with {@link #abortTransaction} and its
     * {@link HangingTransaction#abortSpec()}.
     */
    CompletableFuture<Collection<HangingTransaction>> findHangingTransactions(FindHangingTransactionsOptions options);

    /** Idempotent; calls still in flight complete normally. */
    @Override
    void close();
}
