package io.weir.broker.client.internals;

import io.weir.broker.TopicPartition;
import io.weir.broker.client.OffsetResetStrategy;
import io.weir.broker.errors.IllegalClientStateException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consumer's assigned partitions and, per partition, its position (the offset of the next record to
 * return, or none yet), whether it is paused, and a pending reset ({@code seekToBeginning}/{@code seekToEnd}
 * or {@code auto.offset.reset}) to resolve before fetching.
 *
 * <p>Confined to the thread that holds the consumer (see ConsumerImpl's acquire/release); no locking.
 */
final class SubscriptionState {

    static final class PartitionState {
        Long position;
        boolean paused;
        OffsetResetStrategy pendingReset;

        boolean hasValidPosition() {
            return position != null && pendingReset == null;
        }
    }

    private final OffsetResetStrategy defaultReset;
    private final LinkedHashMap<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();

    SubscriptionState(OffsetResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    void assign(Collection<TopicPartition> partitions) {
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
    }

    void requestReset(TopicPartition tp, OffsetResetStrategy strategy) {
        state(tp).pendingReset = strategy;
    }

    /** Partitions whose position must be looked up before they can be fetched. */
    List<TopicPartition> needingReset() {
        List<TopicPartition> out = new ArrayList<>();
        for (Map.Entry<TopicPartition, PartitionState> e : assignment.entrySet()) {
            PartitionState s = e.getValue();
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
