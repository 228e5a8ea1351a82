package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cooperative protocol end to end over histories of joins, leaves and resubscriptions. After each change
 * the group rebalances: phase 1 assigns against current ownership, members keep what they were assigned and
 * own, take up assigned partitions nobody owns, and revoke the rest; if anyone revoked, phase 2 assigns again.
 * Checked at every step: no member is assigned a partition another member owns, and no partition is owned
 * twice. Checked after phase 2: every subscribed partition is owned exactly once, ownership is as even as the
 * subscriptions allow, and with identical subscriptions the counts are within one. Seeds are fixed; jqwik reports the seed and shrunk history of any
 * failure.
 */
class CooperativeStickyAssignorProperties {
    private final CooperativeStickyAssignor assignor = new CooperativeStickyAssignor();

    @Property(tries = 300, seed = "20250321")
    void identicalSubscriptionsConvergeInTwoPhasesToABalancedAssignment(
            @ForAll("uniformHistories") GroupScenarios.UniformHistory history) {
        Membership group = new Membership();
        for (int i = 0; i < history.initialMembers(); i++) {
            group.join(history.commonTopics());
        }
        rebalance(history.topics(), group);
        for (GroupScenarios.Change change : history.changes()) {
            group.apply(change, history.commonTopics());
            rebalance(history.topics(), group);
            AssignmentChecks.assertCountsWithinOne(group.ownership(), group.members(), "owned after phase 2");
        }
    }

    @Property(tries = 300, seed = "20250322")
    void differingSubscriptionsConvergeInTwoPhases(@ForAll("mixedHistories") GroupScenarios.MixedHistory history) {
        Membership group = new Membership();
        history.initialMasks().forEach(mask -> group.join(GroupScenarios.topicsOf(mask)));
        rebalance(history.topics(), group);
        for (GroupScenarios.Change change : history.changes()) {
            group.apply(change, null);
            rebalance(history.topics(), group);
        }
    }

    private void rebalance(Map<String, Integer> topics, Membership group) {
        if (phase(topics, group)) {
            assertFalse(phase(topics, group), "a member revoked partitions in phase 2: " + group.ownership());
        }
        Map<String, Subscription> subscriptions = group.subscriptions();
        Map<String, List<TopicPartition>> owned = new TreeMap<>();
        group.ownership().forEach((member, partitions) -> owned.put(member, List.copyOf(partitions)));
        AssignmentChecks.assertValid(topics, subscriptions, owned);
        AssignmentChecks.assertNoEveningChain(subscriptions, owned);
    }

    /** One join round; returns whether any member revoked partitions. */
    private boolean phase(Map<String, Integer> topics, Membership group) {
        Map<String, Subscription> subscriptions = group.subscriptions();
        Map<String, List<TopicPartition>> assigned = assign(assignor, topics, subscriptions);

        AssignmentChecks.assertExclusiveAndSubscribed(topics, subscriptions, assigned);
        assigned.forEach((member, partitions) -> {
            for (TopicPartition tp : partitions) {
                group.ownership()
                        .forEach((other, owned) -> assertTrue(
                                other.equals(member) || !owned.contains(tp),
                                tp + " assigned to " + member + " while " + other + " owns it"));
            }
        });
        boolean revoked = group.adoptCooperatively(assigned);
        group.assertNoPartitionOwnedTwice();
        return revoked;
    }

    @Provide
    Arbitrary<GroupScenarios.UniformHistory> uniformHistories() {
        return GroupScenarios.uniformHistories();
    }

    @Provide
    Arbitrary<GroupScenarios.MixedHistory> mixedHistories() {
        return GroupScenarios.mixedHistories();
    }
}
