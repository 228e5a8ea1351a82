package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static io.weir.clients.consumer.internals.AssignorFixtures.parts;
import static io.weir.clients.consumer.internals.AssignorFixtures.subscribes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {
    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void givesEachMemberTheSameRangeOfEveryTopicAsKafkaDoes() {
        // Kafka's documented example: two topics of three partitions, two members.
        Map<String, List<TopicPartition>> result = assign(
                assignor, Map.of("t0", 3, "t1", 3), Map.of("C0", subscribes("t0", "t1"), "C1", subscribes("t0", "t1")));

        assertEquals(parts("t0-0", "t0-1", "t1-0", "t1-1"), result.get("C0"));
        assertEquals(parts("t0-2", "t1-2"), result.get("C1"));
    }

    @Test
    void givesTheRemainderToTheFirstMembersInContiguousRuns() {
        // 7 partitions over 3 members: 7/3 = 2 each, and the first 7%3 = 1 member gets a third.
        Map<String, List<TopicPartition>> result = assign(
                assignor, Map.of("t", 7), Map.of("a", subscribes("t"), "b", subscribes("t"), "c", subscribes("t")));

        assertEquals(parts("t-0", "t-1", "t-2"), result.get("a"));
        assertEquals(parts("t-3", "t-4"), result.get("b"));
        assertEquals(parts("t-5", "t-6"), result.get("c"));
    }

    @Test
    void splitsEachTopicOnlyAmongItsOwnSubscribers() {
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t0", 3, "t1", 3),
                Map.of(
                        "C0", subscribes("t0"),
                        "C1", subscribes("t0", "t1"),
                        "C2", subscribes("t1")));

        assertEquals(parts("t0-0", "t0-1"), result.get("C0"));
        assertEquals(parts("t0-2", "t1-0", "t1-1"), result.get("C1"));
        assertEquals(parts("t1-2"), result.get("C2"));
    }

    @Test
    void ordersStaticMembersByInstanceIdAheadOfDynamicMembers() {
        // "z" is static with instance id "a-instance", so it sorts first despite its member id.
        Map<String, Subscription> subscriptions =
                Map.of("a", subscribes("t"), "z", new Subscription(List.of("t"), null, List.of(), "a-instance", -1));

        Map<String, List<TopicPartition>> result = assign(assignor, Map.of("t", 3), subscriptions);

        assertEquals(parts("t-0", "t-1"), result.get("z"));
        assertEquals(parts("t-2"), result.get("a"));
    }

    @Test
    void leavesMembersBeyondThePartitionCountEmpty() {
        Map<String, List<TopicPartition>> result = assign(
                assignor, Map.of("t", 2), Map.of("a", subscribes("t"), "b", subscribes("t"), "c", subscribes("t")));

        assertEquals(parts("t-0"), result.get("a"));
        assertEquals(parts("t-1"), result.get("b"));
        assertEquals(List.of(), result.get("c"));
    }

    @Test
    void givesMembersOfNothingOrOfMissingTopicsAnEmptyAssignment() {
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 2),
                Map.of(
                        "a", subscribes("t", "missing"),
                        "idle", subscribes(),
                        "lost", subscribes("missing")));

        assertEquals(parts("t-0", "t-1"), result.get("a"));
        assertEquals(List.of(), result.get("idle"));
        assertEquals(List.of(), result.get("lost"));
    }

    @Test
    void assignsNothingInAnEmptyGroup() {
        assertTrue(assign(assignor, Map.of("t", 2), Map.of()).isEmpty());
    }

    @Test
    void rejectsANegativePartitionCountNamingTheTopic() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> assign(assignor, Map.of("broken", -1), Map.of("a", subscribes("broken"))));
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("-1"), e.getMessage());
    }
}
