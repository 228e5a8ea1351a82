package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static io.weir.clients.consumer.internals.AssignorFixtures.owning;
import static io.weir.clients.consumer.internals.AssignorFixtures.parts;
import static io.weir.clients.consumer.internals.AssignorFixtures.subscribes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.consumer.StickyAssignor;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StickyAssignorTest {
    private static final Map<String, Integer> FOUR_TOPICS_OF_TWO = Map.of("t0", 2, "t1", 2, "t2", 2, "t3", 2);
    private static final List<String> ALL_FOUR = List.of("t0", "t1", "t2", "t3");

    private final StickyAssignor assignor = new StickyAssignor();

    @Test
    void keepsEverySurvivorsPartitionsWhenAMemberLeaves() {
        // Kafka's StickyAssignor example: C1 leaves a round-robin-like 3/3/2 assignment. C0 and C2 keep all
        // they had; C1's three orphans fill them up to 4 each (C0 takes one, C2 two).
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                FOUR_TOPICS_OF_TWO,
                Map.of(
                        "C0", owning(ALL_FOUR, 1, "t0-0", "t1-1", "t3-0"),
                        "C2", owning(ALL_FOUR, 1, "t1-0", "t2-1")));

        assertEquals(parts("t0-0", "t0-1", "t1-1", "t3-0"), result.get("C0"));
        assertEquals(parts("t1-0", "t2-0", "t2-1", "t3-1"), result.get("C2"));
    }

    @Test
    void movesOnlyTheSurplusToAJoiningMember() {
        // 6 partitions, 2 -> 3 members: each old member must give up exactly one, the last of its sorted list.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 6),
                Map.of(
                        "a", owning(List.of("t"), 4, "t-0", "t-2", "t-4"),
                        "b", owning(List.of("t"), 4, "t-1", "t-3", "t-5"),
                        "c", subscribes("t")));

        assertEquals(parts("t-0", "t-2"), result.get("a"));
        assertEquals(parts("t-1", "t-3"), result.get("b"));
        assertEquals(parts("t-4", "t-5"), result.get("c"));
    }

    @Test
    void givesTheSpareCeilingToAMemberOwningMoreThanTheFloor() {
        // 5 partitions over 2 members: quotas 3 and 2. "b" owns 3, "a" owns 1: only "b" gains from the 3.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 5),
                Map.of(
                        "a", owning(List.of("t"), 2, "t-0"),
                        "b", owning(List.of("t"), 2, "t-1", "t-2", "t-3")));

        assertEquals(parts("t-0", "t-4"), result.get("a"));
        assertEquals(parts("t-1", "t-2", "t-3"), result.get("b"));
    }

    @Test
    void higherGenerationWinsAPartitionClaimedTwice() {
        // "a" rejoins with a stale claim (generation 3) on t-0, which "b" owned in generation 5.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 4),
                Map.of(
                        "a", owning(List.of("t"), 3, "t-0", "t-2"),
                        "b", owning(List.of("t"), 5, "t-0", "t-1")));

        assertEquals(parts("t-2", "t-3"), result.get("a"));
        assertEquals(parts("t-0", "t-1"), result.get("b"));
    }

    @Test
    void assignsAPartitionClaimedTwiceInOneGenerationExactlyOnce() {
        Map<String, Integer> topics = Map.of("t", 2);
        var subscriptions = Map.of(
                "a", owning(List.of("t"), 5, "t-0"),
                "b", owning(List.of("t"), 5, "t-0"));

        Map<String, List<TopicPartition>> result = assign(assignor, topics, subscriptions);

        AssignmentChecks.assertValid(topics, subscriptions, result);
        AssignmentChecks.assertCountsWithinOne(result, result.keySet(), "contested claim");
    }

    @Test
    void dropsOwnedPartitionsOfUnsubscribedDeletedOrShrunkTopics() {
        // "a" owned t1-0 (no longer subscribed), gone-0 (topic deleted) and t0-5 (t0 now has 2 partitions).
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t0", 2, "t1", 1),
                Map.of(
                        "a", owning(List.of("t0"), 1, "t0-1", "t1-0", "gone-0", "t0-5"),
                        "b", subscribes("t1")));

        assertEquals(parts("t0-0", "t0-1"), result.get("a"));
        assertEquals(parts("t1-0"), result.get("b"));
    }

    @Test
    void balancesDifferingSubscriptionsBetterThanRoundRobin() {
        // Kafka's example: round-robin gives C2 four partitions and C1 one; sticky gives 1/2/3.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t0", 1, "t1", 2, "t2", 3),
                Map.of(
                        "C0", subscribes("t0"),
                        "C1", subscribes("t0", "t1"),
                        "C2", subscribes("t0", "t1", "t2")));

        assertEquals(parts("t0-0"), result.get("C0"));
        assertEquals(parts("t1-0", "t1-1"), result.get("C1"));
        assertEquals(parts("t2-0", "t2-1", "t2-2"), result.get("C2"));
    }

    @Test
    void keepsDifferingSubscriptionsInPlaceWhenAMemberLeaves() {
        // The same example after C0 leaves: t0-0 goes to the lighter of its remaining subscribers, nothing moves.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t0", 1, "t1", 2, "t2", 3),
                Map.of(
                        "C1", owning(List.of("t0", "t1"), 1, "t1-0", "t1-1"),
                        "C2", owning(List.of("t0", "t1", "t2"), 1, "t2-0", "t2-1", "t2-2")));

        assertEquals(parts("t0-0", "t1-0", "t1-1"), result.get("C1"));
        assertEquals(parts("t2-0", "t2-1", "t2-2"), result.get("C2"));
    }

    @Test
    void movesAnOverloadedOwnersPartitionsToALighterSubscriber() {
        // "a" owns all of t; "b" subscribes to t and u. Balance moves t partitions off "a", last first,
        // until counts are within one: 4 and 3.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 6, "u", 1),
                Map.of(
                        "a", owning(List.of("t"), 1, "t-0", "t-1", "t-2", "t-3", "t-4", "t-5"),
                        "b", subscribes("t", "u")));

        assertEquals(parts("t-0", "t-1", "t-2", "t-3"), result.get("a"));
        assertEquals(parts("t-4", "t-5", "u-0"), result.get("b"));
    }

    @Test
    void givesMembersOfNothingOrOfMissingTopicsAnEmptyAssignment() {
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 3),
                Map.of(
                        "a", subscribes("t"),
                        "b", subscribes("t"),
                        "idle", subscribes(),
                        "lost", subscribes("missing")));

        assertEquals(parts("t-0", "t-2"), result.get("a"));
        assertEquals(parts("t-1"), result.get("b"));
        assertEquals(List.of(), result.get("idle"));
        assertEquals(List.of(), result.get("lost"));
    }

    @Test
    void producesTheSameAssignmentWhateverTheOrderOfOwnedPartitions() {
        Map<String, Integer> topics = Map.of("t", 5, "u", 3);
        Map<String, List<TopicPartition>> first = assign(
                assignor,
                topics,
                Map.of(
                        "a", owning(List.of("t", "u"), 1, "t-4", "u-0", "t-1", "t-2"),
                        "b", owning(List.of("t"), 1, "t-3", "t-0")));
        Map<String, List<TopicPartition>> second = assign(
                assignor,
                topics,
                Map.of(
                        "a", owning(List.of("u", "t"), 1, "t-2", "t-1", "u-0", "t-4"),
                        "b", owning(List.of("t"), 1, "t-0", "t-3")));

        assertEquals(first, second);
    }
}
