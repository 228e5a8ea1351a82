package io.weir.clients.consumer;

import io.weir.clients.consumer.internals.RebalanceInput;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;

/**
 * Kafka's {@code roundrobin} strategy: every subscribed partition, sorted by topic then partition, dealt in
 * turn to the members in member order (static members by {@code group.instance.id}, then member id). A member
 * not subscribed to a partition's topic is skipped and the turn passes on; the deal resumes after whoever took
 * the last partition, as Kafka's {@code CircularIterator} does.
 *
 * <p>When every member subscribes to the same topics, totals differ by at most one. With different
 * subscriptions it can be far from balanced: skipping does not compensate a member for turns it lost.
 *
 * <p>Stateless; a pure function of its arguments, so safe from any thread.
 */
public final class RoundRobinAssignor implements ConsumerPartitionAssignor {
    public static final String NAME = "roundrobin";

    public RoundRobinAssignor() {}

    @Override
    public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
        RebalanceInput group = RebalanceInput.of(partitionsPerTopic, subscriptions);
        Map<String, List<TopicPartition>> plan = group.emptyPlan();
        List<String> members = group.members();
        int turn = 0;
        for (TopicPartition tp : group.subscribedPartitions()) {
            // Terminates: subscribedPartitions() only yields topics with at least one subscriber.
            while (!group.isSubscribed(members.get(turn), tp.topic())) {
                turn = (turn + 1) % members.size();
            }
            plan.get(members.get(turn)).add(tp);
            turn = (turn + 1) % members.size();
        }
        return group.toAssignment(plan);
    }

    @Override
    public String name() {
        return NAME;
    }
}
