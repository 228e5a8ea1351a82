package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the consumer reads: either a subscription (topics or a pattern, with the partitions the group gave
 * it) or a manual assignment, never both, as in Kafka. Per assigned partition: its position (the offset of
 * the next record to return, or none yet), whether it is paused, whether its committed offset must be looked
 * up first (a partition the group just assigned), and a pending reset ({@code seekToBeginning} /
 * {@code seekToEnd} or {@code auto.offset.reset}) to resolve before fetching.
 *
 * <p>Confined to the thread that holds the consumer (see ConsumerImpl's acquire/release); no locking.
 */
final class SubscriptionState {

    enum Type {
        NONE,
        AUTO_TOPICS,
        AUTO_PATTERN,
        USER_ASSIGNED
    }

    static final class PartitionState {
        Long position;
        boolean paused;
        OffsetResetStrategy pendingReset;
        /** Assigned by the group: start from the committed offset, if there is one, before any reset. */
        boolean awaitingCommittedOffset;
        /** The end offsets the last fetch answer reported, -1 until one arrived (for {@code currentLag}). */
        long highWatermark = -1;

        long lastStableOffset = -1;

        boolean hasValidPosition() {
            return position != null && pendingReset == null;
        }
    }

    private final OffsetResetStrategy defaultReset;
    private final LinkedHashMap<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();
    private Type type = Type.NONE;
    private Set<String> subscribedTopics = Set.of();
    private Pattern pattern;
    private ConsumerRebalanceListener listener;

    SubscriptionState(OffsetResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    private void setType(Type next) {
        if (type != Type.NONE && type != next) {
            throw new IllegalClientStateException(
                    "Subscription to topics, partitions and pattern are mutually exclusive: "
                            + "this consumer already uses " + describe(type) + "; call unsubscribe() first");
        }
        type = next;
    }

    private static String describe(Type t) {
        return switch (t) {
            case AUTO_TOPICS -> "subscribe(topics)";
            case AUTO_PATTERN -> "subscribe(pattern)";
            case USER_ASSIGNED -> "assign(partitions)";
            case NONE -> "nothing";
        };
    }

    Type type() {
        return type;
    }

    boolean hasAutoAssignedPartitions() {
        return type == Type.AUTO_TOPICS || type == Type.AUTO_PATTERN;
    }

    /** @return whether the set of subscribed topics changed */
    boolean subscribe(Set<String> topics, ConsumerRebalanceListener listener) {
        setType(Type.AUTO_TOPICS);
        this.listener = listener;
        return changeSubscription(topics);
    }

    void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        setType(Type.AUTO_PATTERN);
        this.listener = listener;
        this.pattern = pattern;
    }

    /** For a pattern subscription: the topics it matches now. @return whether they changed */
    boolean changeSubscription(Set<String> topics) {
        if (topics.equals(subscribedTopics)) {
            return false;
        }
        subscribedTopics = Set.copyOf(topics);
        return true;
    }

    Pattern pattern() {
        return pattern;
    }

    Set<String> subscription() {
        return subscribedTopics;
    }

    ConsumerRebalanceListener listener() {
        return listener;
    }

    void unsubscribe() {
        type = Type.NONE;
        subscribedTopics = Set.of();
        pattern = null;
        listener = null;
        assignment.clear();
    }

    /** Manual assignment ({@code assign}). */
    void assignFromUser(Collection<TopicPartition> partitions) {
        setType(Type.USER_ASSIGNED);
        assign(partitions);
    }

    /** The group's assignment: partitions kept keep their state, new ones start from their committed offset. */
    void assignFromSubscribed(Collection<TopicPartition> partitions) {
        if (!hasAutoAssignedPartitions()) {
            throw new IllegalStateException(
                    "An assignment from the group arrived while the consumer is not subscribed");
        }
        Set<TopicPartition> before = new HashSet<>(assignment.keySet());
        assign(partitions);
        for (TopicPartition tp : partitions) {
            if (!before.contains(tp)) {
                assignment.get(tp).awaitingCommittedOffset = true;
            }
        }
    }

    /** Partitions whose committed offset must be fetched before anything else decides their position. */
    List<TopicPartition> awaitingCommittedOffsets() {
        List<TopicPartition> out = new ArrayList<>();
        assignment.forEach((tp, s) -> {
            if (s.awaitingCommittedOffset) {
                out.add(tp);
            }
        });
        return out;
    }

    /** The committed offset arrived (or there is none, {@code offset} null): the partition may now reset or fetch. */
    void committedOffsetKnown(TopicPartition tp, Long offset) {
        PartitionState s = assignment.get(tp);
        if (s == null || !s.awaitingCommittedOffset) {
            return;
        }
        s.awaitingCommittedOffset = false;
        if (offset != null && s.position == null && s.pendingReset == null) {
            s.position = offset;
        }
    }

    /** Positions of every assigned partition that has one: what auto-commit and {@code commitSync()} commit. */
    Map<TopicPartition, Long> consumedPositions() {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.hasValidPosition()) {
                out.put(tp, s.position);
            }
        });
        return out;
    }

    private void assign(Collection<TopicPartition> partitions) {
        LinkedHashMap<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState kept = assignment.get(tp);
            next.put(tp, kept != null ? kept : new PartitionState());
        }
        assignment.clear();
        assignment.putAll(next);
    }

    Set<TopicPartition> assigned() {
        return new LinkedHashSet<>(assignment.keySet());
    }

    boolean isAssigned(TopicPartition tp) {
        return assignment.containsKey(tp);
    }

    PartitionState state(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        if (s == null) {
            throw new IllegalClientStateException("No current assignment for partition " + tp);
        }
        return s;
    }

    void seek(TopicPartition tp, long offset) {
        PartitionState s = state(tp);
        s.position = offset;
        s.pendingReset = null;
        s.awaitingCommittedOffset = false;
    }

    void requestReset(TopicPartition tp, OffsetResetStrategy strategy) {
        PartitionState s = state(tp);
        s.pendingReset = strategy;
        s.awaitingCommittedOffset = false;
    }

    /** Partitions whose position must be looked up before they can be fetched. */
    List<TopicPartition> needingReset() {
        List<TopicPartition> out = new ArrayList<>();
        for (Map.Entry<TopicPartition, PartitionState> e : assignment.entrySet()) {
            PartitionState s = e.getValue();
            if (s.awaitingCommittedOffset) {
                continue;
            }
            if (s.pendingReset == null && s.position == null) {
                s.pendingReset = defaultReset;
            }
            if (s.pendingReset != null) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    OffsetResetStrategy defaultReset() {
        return defaultReset;
    }

    /** Assigned, unpaused partitions with a known position, in assignment order. */
    List<TopicPartition> fetchable() {
        List<TopicPartition> out = new ArrayList<>();
        assignment.forEach((tp, s) -> {
            if (!s.paused && s.hasValidPosition()) {
                out.add(tp);
            }
        });
        return out;
    }

    boolean isFetchable(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s != null && !s.paused && s.hasValidPosition();
    }

    Set<TopicPartition> paused() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.paused) {
                out.add(tp);
            }
        });
        return out;
    }
}
