package io.weir.clients.consumer;

import io.weir.clients.consumer.internals.Ownership;
import io.weir.clients.consumer.internals.RebalanceInput;
import io.weir.clients.consumer.internals.StickyPlanner;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;

/**
 * Kafka's {@code cooperative-sticky} strategy: the {@link StickyAssignor} plan, minus every partition that
 * would change hands while its current holder still has it. Such a partition is left unassigned this round;
 * its holder, not seeing it in its new assignment, revokes it and rejoins, and the follow-up rebalance hands it
 * out (Kafka's {@code adjustAssignment} of partitions transferring ownership). Members therefore never
 * consume the same partition at once, and everything that does not move keeps being consumed throughout.
 *
 * <p>A partition is withheld from member M when another member lists it as owned and M is not its resolved
 * owner. A stale claim (lower generation) does not stop the resolved owner keeping the partition, since the
 * stale claimant has lost it; a contested claim (two claimants of the same generation) withholds it from
 * everyone, both drop it, and the next round assigns it.
 *
 * <p>Because the sticky plan keeps everything a member owns when that ownership is a subset of its previous
 * plan, the follow-up round withholds nothing: one membership change settles in two rounds.
 *
 * <p>Stateless; a pure function of its arguments, so safe from any thread.
 */
public final class CooperativeStickyAssignor implements ConsumerPartitionAssignor {
    public static final String NAME = "cooperative-sticky";

    public CooperativeStickyAssignor() {}

    @Override
    public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
        RebalanceInput group = RebalanceInput.of(partitionsPerTopic, subscriptions);
        Ownership ownership = Ownership.of(group);
        Map<String, List<TopicPartition>> plan = StickyPlanner.plan(group, ownership);
        plan.forEach((member, partitions) -> partitions.removeIf(
                tp -> !member.equals(ownership.owner(tp)) && ownership.isClaimedByAnotherThan(tp, member)));
        return group.toAssignment(plan);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
    }
}
