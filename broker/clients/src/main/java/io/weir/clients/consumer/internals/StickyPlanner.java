package io.weir.clients.consumer.internals;

import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The sticky algorithm shared by {@link StickyAssignor} and {@link CooperativeStickyAssignor}: balance first,
 * then keep as much of the current {@link Ownership} as that balance allows.
 *
 * <p>Like Kafka's {@code AbstractStickyAssignor} it has two paths. When every member that subscribes to
 * anything subscribes to the same topics, {@link UniformStickyPlanner} computes per-member quotas and is both
 * balanced and minimal in movement. Otherwise {@link GeneralStickyPlanner} gives the most even assignment the
 * subscriptions allow, keeping owned partitions where it can but without promising minimal movement.
 *
 * <p>Stateless; used on the leader's thread.
 */
public final class StickyPlanner {
    private StickyPlanner() {}

    /** A mutable plan with an entry for every member of {@code group}, in member order. */
    public static Map<String, List<TopicPartition>> plan(RebalanceInput group, Ownership ownership) {
        List<String> active = new ArrayList<>();
        SortedSet<String> common = null;
        boolean uniform = true;
        for (String member : group.members()) {
            SortedSet<String> topics = group.topicsOf(member);
            if (topics.isEmpty()) {
                continue; // subscribes to nothing that exists: gets nothing, and does not spoil uniformity
            }
            active.add(member);
            if (common == null) {
                common = topics;
            } else if (!common.equals(topics)) {
                uniform = false;
            }
        }
        if (active.isEmpty()) {
            return group.emptyPlan();
        }
        return uniform
                ? UniformStickyPlanner.plan(group, active, ownership)
                : GeneralStickyPlanner.plan(group, ownership);
    }
}
