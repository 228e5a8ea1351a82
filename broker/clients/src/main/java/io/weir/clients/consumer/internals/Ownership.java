package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds what going into a rebalance, from the members' {@link Subscription#ownedPartitions()}.
 *
 * <p>Claims can conflict: a member that was fenced or missed a generation rejoins still listing what it held
 * then. As in Kafka's {@code AbstractStickyAssignor}, the claim made in the highest {@code generationId} wins.
 * If that highest generation is shared by two claimants, neither claim can be trusted and the partition counts
 * as unowned for stickiness (Kafka logs this as an error and does the same). Claims on partitions that no
 * longer exist are ignored outright.
 *
 * <p>{@link #owner} is the resolved owner, used to decide what stays put. {@link #isClaimedByAnotherThan}
 * looks at every raw claim, because under cooperative rebalancing a member keeps consuming whatever it
 * listed until it revokes it, stale generation or not.
 *
 * <p>Immutable once built; used only on the leader's thread during one {@code assign}.
 */
public final class Ownership {
    private final Map<TopicPartition, String> owners;
    private final Map<TopicPartition, List<String>> claimants;

    private Ownership(Map<TopicPartition, String> owners, Map<TopicPartition, List<String>> claimants) {
        this.owners = owners;
        this.claimants = claimants;
    }

    public static Ownership of(RebalanceInput group) {
        Map<TopicPartition, List<String>> claimants = new HashMap<>();
        for (String member : group.members()) {
            // A member listing a partition twice still makes one claim.
            for (TopicPartition tp :
                    new LinkedHashSet<>(group.subscription(member).ownedPartitions())) {
                if (group.exists(tp)) {
                    claimants.computeIfAbsent(tp, t -> new ArrayList<>()).add(member);
                }
            }
        }
        Map<TopicPartition, String> owners = new HashMap<>();
        claimants.forEach((tp, members) -> {
            String best = null;
            int bestGeneration = Integer.MIN_VALUE;
            boolean tied = false;
            for (String member : members) {
                int generation = group.subscription(member).generationId();
                if (generation > bestGeneration) {
                    best = member;
                    bestGeneration = generation;
                    tied = false;
                } else if (generation == bestGeneration) {
                    tied = true;
                }
            }
            if (!tied) {
                owners.put(tp, best);
            }
        });
        return new Ownership(owners, claimants);
    }

    /** The resolved owner of {@code tp}, or null if nobody holds it or the claim is contested. */
    public String owner(TopicPartition tp) {
        return owners.get(tp);
    }

    /** Whether a member other than {@code member} lists {@code tp} among its owned partitions. */
    public boolean isClaimedByAnotherThan(TopicPartition tp, String member) {
        List<String> members = claimants.get(tp);
        if (members == null) {
            return false;
        }
        for (String other : members) {
            if (!other.equals(member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code member} may keep: the partitions resolved to it whose topic it still subscribes to, sorted.
     * Partitions of topics it dropped go back to the pool.
     */
    List<TopicPartition> keepable(RebalanceInput group, String member) {
        Set<TopicPartition> seen = new HashSet<>();
        List<TopicPartition> keep = new ArrayList<>();
        for (TopicPartition tp : group.subscription(member).ownedPartitions()) {
            if (member.equals(owners.get(tp)) && group.isSubscribed(member, tp.topic()) && seen.add(tp)) {
                keep.add(tp);
            }
        }
        Collections.sort(keep);
        return keep;
    }
}
