package io.weir.broker.client;

import io.weir.broker.TopicPartition;
import io.weir.broker.client.internals.AdminClientImpl;
import io.weir.broker.common.Time;
import io.weir.broker.transport.Transports;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Manages topics and inspects the cluster, as Kafka's {@code Admin} does. Every call is asynchronous and
 * returns futures that complete with the typed exception the broker's error code maps to
 * ({@link io.weir.broker.errors.InvalidTopicException}, {@link io.weir.broker.errors.TopicExistsException},
 * {@link io.weir.broker.errors.InvalidPartitionsException}, ...) or with a
 * {@link io.weir.broker.errors.TimeoutException} after {@code request.timeout.ms}.
 *
 * <p>Thread-safe. After {@link #close()} every call throws
 * {@link io.weir.broker.errors.IllegalClientStateException}.
 */
public interface Admin extends AutoCloseable {

    static Admin create(Properties properties) {
        return create(AdminConfig.from(properties));
    }

    static Admin create(Map<String, ?> configs) {
        return create(AdminConfig.from(configs));
    }

    static Admin create(AdminConfig config) {
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
     * count fails with {@link io.weir.broker.errors.InvalidPartitionsException}.
     */
    KeyedResult<String, Void> createPartitions(Map<String, Integer> newTotalCounts);

    KeyedResult<TopicPartition, ListOffsetsResultInfo> listOffsets(Map<TopicPartition, OffsetSpec> specs);

    CompletableFuture<ClusterDescription> describeCluster();

    /** Idempotent; calls still in flight complete normally. */
    @Override
    void close();
}
