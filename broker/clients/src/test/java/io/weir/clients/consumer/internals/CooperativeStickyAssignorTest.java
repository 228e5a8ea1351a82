package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static io.weir.clients.consumer.internals.AssignorFixtures.owning;
import static io.weir.clients.consumer.internals.AssignorFixtures.parts;
import static io.weir.clients.consumer.internals.AssignorFixtures.subscribes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CooperativeStickyAssignorTest {
    private static final List<String> T = List.of("t");

    private final CooperativeStickyAssignor assignor = new CooperativeStickyAssignor();

    @Test
    void prefersCooperativeAndFallsBackToEager() {
        assertEquals(List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER), assignor.supportedProtocols());
        assertEquals("cooperative-sticky", assignor.name());
    }

    @Test
    void withholdsPartitionsStillOwnedByAnotherMemberUntilTheFollowUpRebalance() {
        // "b" joins while "a" owns all four. Sticky would move t-2 and t-3 to "b"; "a" still owns them, so this
        // round hands them to nobody, and "a", not seeing them, revokes them.
        Map<String, List<TopicPartition>> first = assign(
                assignor,
                Map.of("t", 4),
                Map.of(
                        "a", owning(T, 1, "t-0", "t-1", "t-2", "t-3"),
                        "b", subscribes("t")));
        assertEquals(parts("t-0", "t-1"), first.get("a"));
        assertEquals(List.of(), first.get("b"));

        Map<String, List<TopicPartition>> second = assign(
                assignor,
                Map.of("t", 4),
                Map.of(
                        "a", owning(T, 2, "t-0", "t-1"),
                        "b", owning(T, 2)));
        assertEquals(parts("t-0", "t-1"), second.get("a"));
        assertEquals(parts("t-2", "t-3"), second.get("b"));
    }

    @Test
    void handsOutUnownedPartitionsAtOnce() {
        // "c" left holding t-4 and t-5; nobody owns them now, so they move in the first round.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 6),
                Map.of(
                        "a", owning(T, 3, "t-0", "t-1"),
                        "b", owning(T, 3, "t-2", "t-3")));

        assertEquals(parts("t-0", "t-1", "t-4"), result.get("a"));
        assertEquals(parts("t-2", "t-3", "t-5"), result.get("b"));
    }

    @Test
    void letsTheResolvedOwnerKeepAPartitionDespiteAStaleClaim() {
        // "b" rejoins claiming t-0 from generation 2; "a" held it in generation 7 and keeps it.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 2),
                Map.of(
                        "a", owning(T, 7, "t-0"),
                        "b", owning(T, 2, "t-0")));

        assertEquals(parts("t-0"), result.get("a"));
        assertEquals(parts("t-1"), result.get("b"));
    }

    @Test
    void withholdsAPartitionClaimedTwiceInOneGenerationFromEveryone() {
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 2),
                Map.of(
                        "a", owning(T, 4, "t-0"),
                        "b", owning(T, 4, "t-0")));

        assertEquals(List.of(), result.get("a"));
        assertEquals(parts("t-1"), result.get("b"));
    }

    @Test
    void withholdsAPartitionOfADroppedTopicUntilItsOwnerRevokesIt() {
        // "a" stopped subscribing to u but still holds u-0.
        Map<String, List<TopicPartition>> first = assign(
                assignor,
                Map.of("t", 1, "u", 1),
                Map.of(
                        "a", owning(T, 1, "t-0", "u-0"),
                        "b", subscribes("u")));
        assertEquals(parts("t-0"), first.get("a"));
        assertEquals(List.of(), first.get("b"));

        Map<String, List<TopicPartition>> second = assign(
                assignor,
                Map.of("t", 1, "u", 1),
                Map.of(
                        "a", owning(T, 2, "t-0"),
                        "b", owning(List.of("u"), 2)));
        assertEquals(parts("u-0"), second.get("b"));
    }
}
