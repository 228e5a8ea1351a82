package io.weir.clients.consumer.internals;

import io.weir.common.TopicPartition;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sticky assignment when all {@code N} active members subscribe to the same {@code P} partitions (Kafka's
 * {@code constrainedAssign}). Balance fixes every member's quota at {@code floor(P/N)} or {@code ceil(P/N)},
 * with exactly {@code P mod N} ceilings. A member can keep at most {@code min(owned, quota)} of what it owns,
 * and a ceiling is worth one more kept partition exactly to a member owning more than the floor, so handing
 * the ceilings to such members first maximises what stays put. Everything else is dealt from the pool of
 * unkept partitions, first to bring members up to the floor, then one each to floor members until the
 * ceilings run out.
 *
 * <p>Result: counts differ by at most one, and the number of partitions leaving a current owner is the least
 * any balanced assignment can achieve. Under cooperative rebalancing the follow-up round sees each member owning
 * a subset of this round's share, so at most {@code P mod N} members own more than the floor; all of them get a
 * ceiling, everything owned is kept, and the protocol settles in two rounds.
 *
 * <p>Stateless; used on the leader's thread.
 */
final class UniformStickyPlanner {
    private UniformStickyPlanner() {}

    /**
     * @param active the members subscribed to the common topics, in member order; non-empty
     */
    static Map<String, List<TopicPartition>> plan(RebalanceInput group, List<String> active, Ownership ownership) {
        Map<String, List<TopicPartition>> plan = group.emptyPlan();
        List<TopicPartition> all = group.subscribedPartitions();
        int floor = all.size() / active.size();
        int ceilingsLeft = all.size() % active.size();

        Set<TopicPartition> kept = new HashSet<>();
        for (String member : active) {
            List<TopicPartition> owned = ownership.keepable(group, member);
            int quota = floor;
            if (owned.size() > floor && ceilingsLeft > 0) {
                quota++;
                ceilingsLeft--;
            }
            List<TopicPartition> keep = owned.subList(0, Math.min(quota, owned.size()));
            plan.get(member).addAll(keep);
            kept.addAll(keep);
        }

        Iterator<TopicPartition> pool =
                all.stream().filter(tp -> !kept.contains(tp)).iterator();
        for (String member : active) {
            List<TopicPartition> share = plan.get(member);
            while (share.size() < floor) {
                share.add(pool.next());
            }
        }
        // Exactly ceilingsLeft partitions remain, and at least that many members sit at the floor.
        for (String member : active) {
            if (!pool.hasNext()) {
                break;
            }
            List<TopicPartition> share = plan.get(member);
            if (share.size() == floor) {
                share.add(pool.next());
            }
        }
        if (pool.hasNext()) {
            throw new IllegalStateException("Uniform sticky plan left " + pool.next() + " unassigned with " + all.size()
                    + " partitions over " + active.size() + " members");
        }
        return plan;
    }
}
