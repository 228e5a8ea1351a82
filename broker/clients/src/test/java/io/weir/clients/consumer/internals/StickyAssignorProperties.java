package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.clients.consumer.StickyAssignor;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The sticky assignor under eager rebalancing, over histories of joins, leaves and (for differing
 * subscriptions) resubscriptions: every round starts from the previous round's assignment as the survivors'
 * owned partitions, stamped with the generation it was made in. Seeds are fixed; jqwik reports the seed and
 * shrunk history of any failure.
 */
class StickyAssignorProperties {
    private final StickyAssignor assignor = new StickyAssignor();

    @Property(tries = 300, seed = "20250311")
    void identicalSubscriptionsStayBalancedAndMoveTheFewestPartitionsPossible(
            @ForAll("uniformHistories") GroupScenarios.UniformHistory history) {
        Membership group = new Membership();
        for (int i = 0; i < history.initialMembers(); i++) {
            group.join(history.commonTopics());
        }
        rebalanceUniform(history.topics(), group);
        for (GroupScenarios.Change change : history.changes()) {
            group.apply(change, history.commonTopics());
            rebalanceUniform(history.topics(), group);
        }
    }

    @Property(tries = 300, seed = "20250312")
    void differingSubscriptionsGetTheMostEvenValidAssignment(
            @ForAll("mixedHistories") GroupScenarios.MixedHistory history) {
        Membership group = new Membership();
        history.initialMasks().forEach(mask -> group.join(GroupScenarios.topicsOf(mask)));
        rebalanceMixed(history.topics(), group);
        for (GroupScenarios.Change change : history.changes()) {
            group.apply(change, null);
            rebalanceMixed(history.topics(), group);
        }
    }

    private void rebalanceUniform(Map<String, Integer> topics, Membership group) {
        Map<String, Subscription> subscriptions = group.subscriptions();
        Map<String, List<TopicPartition>> result = assign(assignor, topics, subscriptions);

        AssignmentChecks.assertValid(topics, subscriptions, result);
        AssignmentChecks.assertCountsWithinOne(result, result.keySet(), "sticky, identical subscriptions");
        int partitions =
                AssignmentChecks.subscribedPartitions(topics, subscriptions).size();
        assertEquals(
                fewestPossibleMoves(partitions, group),
                moved(group, result),
                "partitions taken from a surviving owner; owned " + group.ownership() + ", assigned " + result);
        group.adoptEagerly(result);
    }

    /**
     * What we count: a partition has moved if a member of this round owned it in the previous round and it is
     * now assigned to a different member. Partitions of members that left are free and do not count; joiners own
     * nothing.
     *
     * <p>The lower bound for a balanced result: with {@code P} partitions and {@code N} members every member gets
     * {@code floor(P/N)} or {@code ceil(P/N)}, exactly {@code r = P mod N} of them the ceiling. Member {@code i},
     * owning {@code o_i}, keeps at most {@code min(o_i, quota_i)}. Taking the ceiling instead of the floor raises
     * that by exactly one when {@code o_i > floor} and by nothing otherwise, so the best placement of the
     * {@code r} ceilings keeps {@code sum_i min(o_i, floor) + min(r, #{i : o_i > floor})}. That many can indeed be
     * kept (owned sets are disjoint, and the rest of the partitions fill the remaining quota exactly), so the
     * fewest moves is {@code sum_i o_i} minus it.
     */
    private static int fewestPossibleMoves(int partitions, Membership group) {
        List<String> members = group.members();
        int floor = partitions / members.size();
        int ceilings = partitions % members.size();
        int owned = 0;
        int keptAtFloor = 0;
        int owningMoreThanFloor = 0;
        for (String member : members) {
            int o = group.owned(member).size();
            owned += o;
            keptAtFloor += Math.min(o, floor);
            if (o > floor) {
                owningMoreThanFloor++;
            }
        }
        return owned - (keptAtFloor + Math.min(ceilings, owningMoreThanFloor));
    }

    private static int moved(Membership group, Map<String, List<TopicPartition>> result) {
        int moved = 0;
        for (String member : group.members()) {
            Set<TopicPartition> owned = group.owned(member);
            moved += owned.size()
                    - (int) result.get(member).stream().filter(owned::contains).count();
        }
        return moved;
    }

    private void rebalanceMixed(Map<String, Integer> topics, Membership group) {
        Map<String, Subscription> subscriptions = group.subscriptions();
        Map<String, List<TopicPartition>> result = assign(assignor, topics, subscriptions);

        AssignmentChecks.assertValid(topics, subscriptions, result);
        AssignmentChecks.assertNoEveningChain(subscriptions, result);
        group.adoptEagerly(result);
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
