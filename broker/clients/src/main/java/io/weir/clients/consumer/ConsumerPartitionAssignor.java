package io.weir.clients.consumer;

import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which member of a consumer group reads which partition, as Kafka's
 * {@code ConsumerPartitionAssignor} does. The group leader's consumer runs {@link #assign} once per
 * rebalance over every member's {@link Subscription}; the broker only carries the bytes. The strategy is
 * chosen in {@code partition.assignment.strategy}: the members' first common name wins.
 *
 * <p><b>Contract.</b> {@link #assign} must be a pure function of its arguments: every partition of every
 * subscribed topic goes to exactly one member subscribed to that topic, and members that subscribe to nothing
 * get an empty assignment (but are present in the result). Implementations named in config need a public
 * no-argument constructor.
 *
 * <p><b>Rebalance protocols.</b> Under {@link RebalanceProtocol#EAGER} every member gives up all its
 * partitions before it rejoins. Under {@link RebalanceProtocol#COOPERATIVE} members keep their partitions
 * across the rebalance, so an assignor supporting it must never hand a member a partition another member
 * still owns (per {@link Subscription#ownedPartitions()}); the owner revokes it first and a follow-up rebalance
 * moves it.
 *
 * <p><b>Threading.</b> Called on the consumer's own thread; implementations need not be thread-safe.
 */
public interface ConsumerPartitionAssignor {

    /**
     * @param partitionsPerTopic partition counts of every topic any member subscribes to (topics that do
     *                           not exist are absent)
     * @return an assignment for every member of {@code subscriptions}
     */
    GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions);

    /** The name members advertise and agree on, e.g. {@code range}. */
    String name();

    /** The protocols this assignor supports, preferred first. */
    default List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.EAGER);
    }

    /**
     * Called once, before the assignor is used, with the consumer's settings as given (values not turned into
     * strings), as Kafka calls a {@code Configurable} assignor: a framework can hand its assignor what it needs.
     */
    default void configure(Map<String, ?> configs) {}

    /** Opaque bytes this member adds to its subscription, or null. */
    default ByteBuffer subscriptionUserData(Set<String> topics) {
        return null;
    }

    /** Called on every member when it receives its assignment. */
    default void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {}

    /** How members give partitions up during a rebalance. */
    enum RebalanceProtocol {
        /** Revoke everything, then rejoin. */
        EAGER,
        /** Keep what you own; revoke only what moved, then rejoin once more. */
        COOPERATIVE
    }

    /**
     * One member's subscription as the leader sees it.
     *
     * @param ownedPartitions what the member held when it joined (empty under eager rebalancing)
     * @param generationId    the generation in which it last received an assignment, or -1
     */
    record Subscription(
            List<String> topics,
            ByteBuffer userData,
            List<TopicPartition> ownedPartitions,
            String groupInstanceId,
            int generationId) {
        public Subscription {
            topics = List.copyOf(topics);
            ownedPartitions = List.copyOf(ownedPartitions);
        }

        public Subscription(List<String> topics) {
            this(topics, null, List.of(), null, -1);
        }

        public Subscription(List<String> topics, List<TopicPartition> ownedPartitions, int generationId) {
            this(topics, null, ownedPartitions, null, generationId);
        }
    }

    /** One member's share. */
    record Assignment(List<TopicPartition> partitions, ByteBuffer userData) {
        public Assignment {
            partitions = List.copyOf(partitions);
        }

        public Assignment(List<TopicPartition> partitions) {
            this(partitions, null);
        }
    }

    /** Every member's subscription, by member id. */
    record GroupSubscription(Map<String, Subscription> groupSubscription) {
        public GroupSubscription {
            groupSubscription = Map.copyOf(Objects.requireNonNull(groupSubscription));
        }
    }

    /** Every member's assignment, by member id. */
    record GroupAssignment(Map<String, Assignment> groupAssignment) {
        public GroupAssignment {
            groupAssignment = Map.copyOf(Objects.requireNonNull(groupAssignment));
        }
    }
}
