package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.clients.consumer.RoundRobinAssignor;
import io.weir.clients.consumer.StickyAssignor;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties every assignor shares, and the balance range and round-robin promise, over random groups of 1 to
 * 12 members with random (often overlapping, sometimes empty or missing) subscriptions and random claims of
 * ownership, including claims on partitions that do not exist and contested claims. Seeds are fixed so the
 * suite is deterministic; jqwik reports the seed and shrunk sample of any failure.
 */
class AssignorProperties {

    /** Partition counts and every member's subscription. */
    record RandomGroup(Map<String, Integer> topics, Map<String, Subscription> subscriptions) {
        RandomGroup withoutOwnership() {
            Map<String, Subscription> stripped = new TreeMap<>();
            subscriptions.forEach((member, s) ->
                    stripped.put(member, new Subscription(s.topics(), null, List.of(), s.groupInstanceId(), -1)));
            return new RandomGroup(topics, stripped);
        }

        /** The same group with every topic and owned-partition list reversed. */
        RandomGroup reversedLists() {
            Map<String, Subscription> reversed = new TreeMap<>();
            subscriptions.forEach((member, s) -> {
                List<String> topics = new ArrayList<>(s.topics());
                List<TopicPartition> owned = new ArrayList<>(s.ownedPartitions());
                Collections.reverse(topics);
                Collections.reverse(owned);
                reversed.put(member, new Subscription(topics, null, owned, s.groupInstanceId(), s.generationId()));
            });
            return new RandomGroup(topics, reversed);
        }
    }

    private static final List<ConsumerPartitionAssignor> EAGER_ASSIGNORS =
            List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor());

    private static final List<ConsumerPartitionAssignor> ALL_ASSIGNORS = List.of(
            new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor(), new CooperativeStickyAssignor());

    @Property(tries = 300, seed = "20250301")
    void eagerAssignorsGiveEverySubscribedPartitionToExactlyOneSubscriber(@ForAll("groups") RandomGroup group) {
        for (ConsumerPartitionAssignor assignor : EAGER_ASSIGNORS) {
            AssignmentChecks.assertValid(
                    group.topics(), group.subscriptions(), assign(assignor, group.topics(), group.subscriptions()));
        }
    }

    @Property(tries = 300, seed = "20250307")
    void stickyIsAsEvenAsTheSubscriptionsAllowWhateverIsClaimed(@ForAll("groups") RandomGroup group) {
        AssignmentChecks.assertNoEveningChain(
                group.subscriptions(), assign(new StickyAssignor(), group.topics(), group.subscriptions()));
    }

    @Property(tries = 300, seed = "20250302")
    void cooperativeStickyGivesEverySubscribedPartitionOutWhenNobodyOwnsAnything(
            @ForAll("groups") RandomGroup claimed) {
        RandomGroup group = claimed.withoutOwnership();
        AssignmentChecks.assertValid(
                group.topics(),
                group.subscriptions(),
                assign(new CooperativeStickyAssignor(), group.topics(), group.subscriptions()));
    }

    @Property(tries = 300, seed = "20250303")
    void cooperativeStickyWithholdsOnlyPartitionsSomeMemberClaims(@ForAll("groups") RandomGroup group) {
        Map<String, List<TopicPartition>> result =
                assign(new CooperativeStickyAssignor(), group.topics(), group.subscriptions());

        AssignmentChecks.assertExclusiveAndSubscribed(group.topics(), group.subscriptions(), result);
        Set<TopicPartition> unassigned =
                new HashSet<>(AssignmentChecks.subscribedPartitions(group.topics(), group.subscriptions()));
        result.values().forEach(unassigned::removeAll);
        Set<TopicPartition> claimed = new HashSet<>();
        group.subscriptions().values().forEach(s -> claimed.addAll(s.ownedPartitions()));
        unassigned.removeAll(claimed);
        assertTrue(unassigned.isEmpty(), "unassigned yet claimed by nobody: " + unassigned);
    }

    @Property(tries = 300, seed = "20250304")
    void rangeSplitsEachTopicWithinOneAmongItsSubscribers(@ForAll("groups") RandomGroup group) {
        Map<String, List<TopicPartition>> result = assign(new RangeAssignor(), group.topics(), group.subscriptions());

        for (String topic : group.topics().keySet()) {
            Map<String, List<TopicPartition>> ofTopic = new TreeMap<>();
            group.subscriptions().forEach((member, s) -> {
                if (s.topics().contains(topic)) {
                    ofTopic.put(
                            member,
                            result.get(member).stream()
                                    .filter(tp -> tp.topic().equals(topic))
                                    .toList());
                }
            });
            AssignmentChecks.assertCountsWithinOne(ofTopic, ofTopic.keySet(), "range over " + topic);
        }
    }

    @Property(tries = 300, seed = "20250305")
    void roundRobinGivesIdenticalSubscribersCountsWithinOne(@ForAll("uniformGroups") RandomGroup group) {
        Map<String, List<TopicPartition>> result =
                assign(new RoundRobinAssignor(), group.topics(), group.subscriptions());

        AssignmentChecks.assertValid(group.topics(), group.subscriptions(), result);
        AssignmentChecks.assertCountsWithinOne(result, result.keySet(), "round-robin");
    }

    @Property(tries = 200, seed = "20250306")
    void resultDoesNotDependOnTheOrderOfListedTopicsOrOwnedPartitions(@ForAll("groups") RandomGroup group) {
        RandomGroup reversed = group.reversedLists();
        for (ConsumerPartitionAssignor assignor : ALL_ASSIGNORS) {
            assertEquals(
                    assign(assignor, group.topics(), group.subscriptions()),
                    assign(assignor, reversed.topics(), reversed.subscriptions()),
                    assignor.name());
        }
    }

    @Provide
    Arbitrary<RandomGroup> groups() {
        Arbitrary<String> instanceIds = Arbitraries.of("i0", "i1", "i2", "i3").injectNull(0.7);
        Arbitrary<Subscription> subscription = Combinators.combine(
                        GroupScenarios.masks(),
                        instanceIds,
                        GroupScenarios.junkOwnership(),
                        Arbitraries.integers().between(-1, 5))
                .as((mask, instanceId, owned, generation) ->
                        new Subscription(GroupScenarios.topicsOf(mask), null, owned, instanceId, generation));
        return Combinators.combine(
                        GroupScenarios.topics(),
                        subscription.list().ofMinSize(1).ofMaxSize(GroupScenarios.MAX_MEMBERS))
                .as(AssignorProperties::group);
    }

    @Provide
    Arbitrary<RandomGroup> uniformGroups() {
        return Combinators.combine(
                        GroupScenarios.topics(),
                        GroupScenarios.masks(),
                        Arbitraries.integers().between(1, GroupScenarios.MAX_MEMBERS))
                .as((topics, mask, members) ->
                        group(topics, Collections.nCopies(members, new Subscription(GroupScenarios.topicsOf(mask)))));
    }

    private static RandomGroup group(Map<String, Integer> topics, List<Subscription> subscriptions) {
        Map<String, Subscription> byMember = new TreeMap<>();
        for (int i = 0; i < subscriptions.size(); i++) {
            byMember.put(String.format("m%02d", i), subscriptions.get(i));
        }
        return new RandomGroup(topics, byMember);
    }
}
