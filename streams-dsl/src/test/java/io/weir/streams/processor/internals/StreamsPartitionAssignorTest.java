package io.weir.streams.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Assignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streams assignor deals whole tasks and carries endpoints and shutdown requests. */
class StreamsPartitionAssignorTest {

    /** Topics a and b feed sub-topology 0 (a merge), c feeds 1. */
    private static int subtopology(String topic) {
        return switch (topic) {
            case "a", "b" -> 0;
            case "c" -> 1;
            default -> -1;
        };
    }

    private static StreamsPartitionAssignor assignor(String endpoint, boolean shutdown) {
        StreamsPartitionAssignor.GroupState state =
                new StreamsPartitionAssignor.GroupState(endpoint, StreamsPartitionAssignorTest::subtopology);
        if (shutdown) {
            state.requestShutdown();
        }
        StreamsPartitionAssignor assignor = new StreamsPartitionAssignor();
        assignor.configure(Map.of(StreamsPartitionAssignor.GROUP_STATE_CONFIG, state));
        return assignor;
    }

    private static Subscription subscription(StreamsPartitionAssignor assignor, String instanceId) {
        List<String> topics = List.of("a", "b", "c");
        ByteBuffer data = assignor.subscriptionUserData(Set.copyOf(topics));
        return new Subscription(topics, data, List.of(), instanceId, -1);
    }

    @Test
    void everyTaskGoesWholeToOneMemberEvenWhenItsTopicsDifferInPartitions() {
        StreamsPartitionAssignor leader = assignor("h1:1", false);
        Map<String, Subscription> members = new HashMap<>();
        members.put("m1", subscription(leader, "i1"));
        members.put("m2", subscription(assignor("h2:2", false), "i2"));
        members.put("m3", subscription(assignor("h3:3", false), "i3"));
        GroupAssignment plan = leader.assign(Map.of("a", 4, "b", 2, "c", 3), new GroupSubscription(members));

        Map<List<Integer>, String> owner = new HashMap<>();
        Set<TopicPartition> all = new HashSet<>();
        plan.groupAssignment().forEach((member, assignment) -> {
            for (TopicPartition tp : assignment.partitions()) {
                assertTrue(all.add(tp), tp + " assigned twice");
                String earlier = owner.putIfAbsent(List.of(subtopology(tp.topic()), tp.partition()), member);
                assertTrue(earlier == null || earlier.equals(member), "task of " + tp + " split");
            }
        });
        assertEquals(9, all.size());
        for (Assignment assignment : plan.groupAssignment().values()) {
            long tasks = assignment.partitions().stream()
                    .map(tp -> List.of(subtopology(tp.topic()), tp.partition()))
                    .distinct()
                    .count();
            assertTrue(tasks >= 2 && tasks <= 3, "7 tasks over 3 members: " + assignment.partitions());
        }
    }

    @Test
    void everyMemberLearnsTheEndpointsAndAShutdownRequestGetsNoTask() {
        StreamsPartitionAssignor leader = assignor("h1:1", false);
        Map<String, Subscription> members = new HashMap<>();
        members.put("m1", subscription(leader, "i1"));
        members.put("m2", subscription(assignor("", true), null));
        GroupAssignment plan = leader.assign(Map.of("a", 2, "b", 2, "c", 2), new GroupSubscription(members));

        assertEquals(List.of(), plan.groupAssignment().get("m2").partitions());
        StreamsPartitionAssignor.GroupState received =
                new StreamsPartitionAssignor.GroupState("", StreamsPartitionAssignorTest::subtopology);
        StreamsPartitionAssignor follower = new StreamsPartitionAssignor();
        follower.configure(Map.of(StreamsPartitionAssignor.GROUP_STATE_CONFIG, received));
        follower.onAssignment(
                plan.groupAssignment().get("m2"), new ConsumerGroupMetadata("g", 1, "m2", java.util.Optional.empty()));
        assertTrue(received.shutdownReceived());
        assertEquals(Set.of("h1:1"), received.partitionsByEndpoint().keySet());
        assertEquals(6, received.partitionsByEndpoint().get("h1:1").size());
    }
}
