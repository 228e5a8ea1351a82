package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Assignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One rebalance's input, normalised once for every assignor: the members in assignment order, each member's
 * subscription cut down to the topics that exist, and the subscribers of each such topic.
 *
 * <p><b>Invariant.</b> Every list and set handed out is sorted (members in Kafka's {@code MemberInfo} order, topics and
 * partitions naturally), so no assignor's output can depend on the iteration order of the {@code Map.copyOf}
 * maps in {@link GroupSubscription}, which changes from one JVM to the next.
 *
 * <p><b>Threading.</b> Immutable once built; used only on the leader's thread during one {@code assign}.
 */
public final class RebalanceInput {

    /**
     * Kafka's {@code MemberInfo} order: static members (with a {@code group.instance.id}) first, by instance
     * id, then dynamic members by member id. Instance ids survive restarts while member ids do not, so ordering
     * by them is what keeps a restarted static member in its old place. Equal instance ids (a misconfiguration
     * the coordinator normally fences) fall back to member id so the order stays total.
     */
    private static Comparator<String> memberOrder(Map<String, Subscription> subscriptions) {
        return Comparator.comparing(
                        (String id) -> subscriptions.get(id).groupInstanceId(),
                        Comparator.nullsLast(Comparator.<String>naturalOrder()))
                .thenComparing(Comparator.naturalOrder());
    }

    private final Map<String, Integer> partitionsPerTopic;
    private final Map<String, Subscription> subscriptions;
    private final List<String> members;
    private final Map<String, SortedSet<String>> topicsByMember;
    private final SortedMap<String, List<String>> subscribersByTopic;

    private RebalanceInput(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            List<String> members,
            Map<String, SortedSet<String>> topicsByMember,
            SortedMap<String, List<String>> subscribersByTopic) {
        this.partitionsPerTopic = partitionsPerTopic;
        this.subscriptions = subscriptions;
        this.members = members;
        this.topicsByMember = topicsByMember;
        this.subscribersByTopic = subscribersByTopic;
    }

    /**
     * @throws IllegalArgumentException if a topic has a negative partition count
     */
    public static RebalanceInput of(Map<String, Integer> partitionsPerTopic, GroupSubscription groupSubscription) {
        Objects.requireNonNull(partitionsPerTopic, "partitionsPerTopic");
        Objects.requireNonNull(groupSubscription, "groupSubscription");
        partitionsPerTopic.forEach((topic, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException(
                        "Topic " + topic + " has partition count " + count + "; expected 0 or more");
            }
        });
        Map<String, Subscription> subscriptions = groupSubscription.groupSubscription();
        List<String> members = new ArrayList<>(subscriptions.keySet());
        members.sort(memberOrder(subscriptions));

        Map<String, SortedSet<String>> topicsByMember = new HashMap<>();
        SortedMap<String, List<String>> subscribersByTopic = new TreeMap<>();
        for (String member : members) {
            SortedSet<String> topics = new TreeSet<>();
            for (String topic : subscriptions.get(member).topics()) {
                // A topic that does not exist (yet) has nothing to assign; the member still appears in the result.
                if (partitionsPerTopic.containsKey(topic)) {
                    topics.add(topic);
                }
            }
            topicsByMember.put(member, Collections.unmodifiableSortedSet(topics));
            for (String topic : topics) {
                // members is iterated in member order, so each subscriber list comes out sorted.
                subscribersByTopic
                        .computeIfAbsent(topic, t -> new ArrayList<>())
                        .add(member);
            }
        }
        return new RebalanceInput(
                Map.copyOf(partitionsPerTopic),
                subscriptions,
                List.copyOf(members),
                topicsByMember,
                subscribersByTopic);
    }

    /** Every member, in assignment order. */
    public List<String> members() {
        return members;
    }

    Subscription subscription(String member) {
        return subscriptions.get(member);
    }

    /** The existing topics {@code member} subscribes to, sorted. */
    SortedSet<String> topicsOf(String member) {
        return topicsByMember.get(member);
    }

    public boolean isSubscribed(String member, String topic) {
        return topicsByMember.get(member).contains(topic);
    }

    /** Existing topics at least one member subscribes to, sorted. */
    public Collection<String> subscribedTopics() {
        return subscribersByTopic.keySet();
    }

    /** The members subscribed to {@code topic}, in member order; empty if nobody is. */
    public List<String> subscribersOf(String topic) {
        return subscribersByTopic.getOrDefault(topic, List.of());
    }

    public int partitionCount(String topic) {
        return partitionsPerTopic.getOrDefault(topic, 0);
    }

    /** Whether {@code tp} is a partition that exists now. */
    boolean exists(TopicPartition tp) {
        return tp.partition() >= 0 && tp.partition() < partitionCount(tp.topic());
    }

    /** Every partition of every subscribed topic, sorted by topic then partition. */
    public List<TopicPartition> subscribedPartitions() {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : subscribersByTopic.keySet()) {
            for (int p = 0; p < partitionCount(topic); p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        return all;
    }

    /** An empty, mutable plan with one entry per member, in member order. */
    public Map<String, List<TopicPartition>> emptyPlan() {
        Map<String, List<TopicPartition>> plan = new LinkedHashMap<>();
        for (String member : members) {
            plan.put(member, new ArrayList<>());
        }
        return plan;
    }

    /** The plan as the interface's result: every member present, each member's partitions sorted. */
    public GroupAssignment toAssignment(Map<String, ? extends Collection<TopicPartition>> plan) {
        Map<String, Assignment> result = new HashMap<>();
        for (String member : members) {
            Collection<TopicPartition> partitions = plan.get(member);
            List<TopicPartition> sorted = partitions == null ? List.of() : new ArrayList<>(partitions);
            Collections.sort(sorted);
            result.put(member, new Assignment(sorted));
        }
        return new GroupAssignment(result);
    }
}
