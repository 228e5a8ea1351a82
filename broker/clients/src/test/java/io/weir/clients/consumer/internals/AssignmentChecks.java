package io.weir.clients.consumer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Named invariants of an assignment, shared by the unit tests and the properties. */
final class AssignmentChecks {
    private AssignmentChecks() {}

    /** Every partition of every existing subscribed topic, sorted. */
    static Set<TopicPartition> subscribedPartitions(
            Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
        Set<TopicPartition> all = new TreeSet<>();
        for (Subscription s : subscriptions.values()) {
            for (String topic : s.topics()) {
                for (int p = 0; p < partitionsPerTopic.getOrDefault(topic, 0); p++) {
                    all.add(new TopicPartition(topic, p));
                }
            }
        }
        return all;
    }

    /**
     * Every member is present; no partition goes to two members; each assigned partition exists and its topic
     * is subscribed by the member holding it. Says nothing about completeness.
     */
    static void assertExclusiveAndSubscribed(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> assignment) {
        assertEquals(
                new TreeSet<>(subscriptions.keySet()), new TreeSet<>(assignment.keySet()), "members in the result");
        Map<TopicPartition, String> holder = new HashMap<>();
        assignment.forEach((member, partitions) -> {
            for (TopicPartition tp : partitions) {
                String other = holder.put(tp, member);
                assertNull(other, tp + " assigned to both " + other + " and " + member);
                assertTrue(
                        tp.partition() >= 0 && tp.partition() < partitionsPerTopic.getOrDefault(tp.topic(), 0),
                        tp + " does not exist but was assigned to " + member);
                assertTrue(
                        subscriptions.get(member).topics().contains(tp.topic()),
                        tp + " assigned to " + member + " which does not subscribe to " + tp.topic());
            }
        });
    }

    /** {@link #assertExclusiveAndSubscribed}, and every subscribed partition is assigned. */
    static void assertValid(
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions,
            Map<String, List<TopicPartition>> assignment) {
        assertExclusiveAndSubscribed(partitionsPerTopic, subscriptions, assignment);
        Set<TopicPartition> assigned = new HashSet<>();
        assignment.values().forEach(assigned::addAll);
        Set<TopicPartition> missing = new TreeSet<>(subscribedPartitions(partitionsPerTopic, subscriptions));
        missing.removeAll(assigned);
        assertTrue(missing.isEmpty(), "subscribed partitions left unassigned: " + missing);
    }

    /** The largest and smallest counts among {@code members} differ by at most one. */
    static void assertCountsWithinOne(
            Map<String, ? extends Collection<TopicPartition>> assignment, Collection<String> members, String what) {
        if (members.isEmpty()) {
            return;
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (String member : members) {
            int count = assignment.get(member).size();
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        if (max - min > 1) {
            fail(what + ": counts range from " + min + " to " + max + " in " + assignment);
        }
    }

    /**
     * The assignment is as even as the subscriptions allow: there is no chain of members, each holding a
     * partition of a topic the next subscribes to, from one member to another holding at least two fewer.
     * (Shifting a partition along such a chain would lower the sum of squared counts; with no such chain that
     * sum is minimal.) Checked by a plain breadth-first search from every member.
     */
    static void assertNoEveningChain(
            Map<String, Subscription> subscriptions, Map<String, List<TopicPartition>> assignment) {
        for (String source : assignment.keySet()) {
            int sourceCount = assignment.get(source).size();
            Set<String> seen = new HashSet<>(List.of(source));
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(source));
            while (!queue.isEmpty()) {
                String x = queue.poll();
                if (sourceCount - assignment.get(x).size() >= 2) {
                    fail("a chain from " + source + " to " + x + " would even out " + assignment);
                }
                for (TopicPartition tp : assignment.get(x)) {
                    subscriptions.forEach((y, s) -> {
                        if (s.topics().contains(tp.topic()) && seen.add(y)) {
                            queue.add(y);
                        }
                    });
                }
            }
        }
    }
}
