package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Assignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shorthands for hand-worked assignment examples: {@code parts("t0-0", "t1-2")} and friends. */
final class AssignorFixtures {
    private AssignorFixtures() {}

    /** Parses Kafka's {@code topic-partition} spelling, splitting at the last dash. */
    static TopicPartition tp(String spelled) {
        int dash = spelled.lastIndexOf('-');
        return new TopicPartition(spelled.substring(0, dash), Integer.parseInt(spelled.substring(dash + 1)));
    }

    static List<TopicPartition> parts(String... spelled) {
        List<TopicPartition> result = new ArrayList<>();
        for (String s : spelled) {
            result.add(tp(s));
        }
        return result;
    }

    static Subscription subscribes(String... topics) {
        return new Subscription(Arrays.asList(topics));
    }

    static Subscription owning(List<String> topics, int generation, String... owned) {
        return new Subscription(topics, parts(owned), generation);
    }

    /** Runs {@code assignor}; the result sorted by member id, each member's partitions as the assignor listed them. */
    static Map<String, List<TopicPartition>> assign(
            ConsumerPartitionAssignor assignor,
            Map<String, Integer> partitionsPerTopic,
            Map<String, Subscription> subscriptions) {
        Map<String, Assignment> raw = assignor.assign(partitionsPerTopic, new GroupSubscription(subscriptions))
                .groupAssignment();
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        raw.forEach((member, assignment) -> result.put(member, assignment.partitions()));
        return result;
    }
}
