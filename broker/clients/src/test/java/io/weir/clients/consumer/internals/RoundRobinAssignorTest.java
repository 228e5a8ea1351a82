package io.weir.clients.consumer.internals;

import static io.weir.clients.consumer.internals.AssignorFixtures.assign;
import static io.weir.clients.consumer.internals.AssignorFixtures.parts;
import static io.weir.clients.consumer.internals.AssignorFixtures.subscribes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.clients.consumer.RoundRobinAssignor;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinAssignorTest {
    private final RoundRobinAssignor assignor = new RoundRobinAssignor();

    @Test
    void dealsSortedPartitionsInTurnAsKafkaDoes() {
        // Kafka's documented example: two topics of three partitions, two members.
        Map<String, List<TopicPartition>> result = assign(
                assignor, Map.of("t0", 3, "t1", 3), Map.of("C0", subscribes("t0", "t1"), "C1", subscribes("t0", "t1")));

        assertEquals(parts("t0-0", "t0-2", "t1-1"), result.get("C0"));
        assertEquals(parts("t0-1", "t1-0", "t1-2"), result.get("C1"));
    }

    @Test
    void skipsMembersNotSubscribedToThePartitionsTopic() {
        // Kafka's documented heterogeneous example; note how unbalanced the skipping leaves it.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t0", 1, "t1", 2, "t2", 3),
                Map.of(
                        "C0", subscribes("t0"),
                        "C1", subscribes("t0", "t1"),
                        "C2", subscribes("t0", "t1", "t2")));

        assertEquals(parts("t0-0"), result.get("C0"));
        assertEquals(parts("t1-0"), result.get("C1"));
        assertEquals(parts("t1-1", "t2-0", "t2-1", "t2-2"), result.get("C2"));
    }

    @Test
    void resumesTheDealAfterWhoeverTookTheLastPartition() {
        // a takes t0-0; the turn passes to b, which cannot take u-0, so c does; then a again for u-1.
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t0", 1, "u", 2),
                Map.of(
                        "a", subscribes("t0", "u"),
                        "b", subscribes("t0"),
                        "c", subscribes("u")));

        assertEquals(parts("t0-0", "u-1"), result.get("a"));
        assertEquals(List.of(), result.get("b"));
        assertEquals(parts("u-0"), result.get("c"));
    }

    @Test
    void ordersStaticMembersByInstanceIdAheadOfDynamicMembers() {
        Map<String, Subscription> subscriptions =
                Map.of("a", subscribes("t"), "z", new Subscription(List.of("t"), null, List.of(), "instance-1", -1));

        Map<String, List<TopicPartition>> result = assign(assignor, Map.of("t", 3), subscriptions);

        assertEquals(parts("t-0", "t-2"), result.get("z"));
        assertEquals(parts("t-1"), result.get("a"));
    }

    @Test
    void givesMembersOfNothingOrOfMissingTopicsAnEmptyAssignment() {
        Map<String, List<TopicPartition>> result = assign(
                assignor,
                Map.of("t", 2),
                Map.of(
                        "a", subscribes("t"),
                        "idle", subscribes(),
                        "lost", subscribes("missing")));

        assertEquals(parts("t-0", "t-1"), result.get("a"));
        assertEquals(List.of(), result.get("idle"));
        assertEquals(List.of(), result.get("lost"));
    }
}
