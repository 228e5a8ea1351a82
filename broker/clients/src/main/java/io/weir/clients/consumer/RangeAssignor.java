package io.weir.clients.consumer;

import io.weir.clients.consumer.internals.RebalanceInput;
import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;

/**
 * Kafka's default {@code range} strategy: each topic on its own, its subscribers in member order (static
 * members by {@code group.instance.id}, then member id), each given a contiguous run of {@code n / m}
 * partitions and the first {@code n % m} of them one more. With two topics of three partitions and members
 * C0, C1 that is C0: t0-0, t0-1, t1-0, t1-1 and C1: t0-2, t1-2.
 *
 * <p>Because topics are split independently, the same members get the extra partition of every topic, so
 * totals can differ by the number of topics; within one topic counts differ by at most one. Its virtue is
 * that members subscribed to the same topics get the same partition numbers of each, which co-partitioned
 * joins rely on.
 *
 * <p>Stateless; a pure function of its arguments, so safe from any thread.
 */
public final class RangeAssignor implements ConsumerPartitionAssignor {
    public static final String NAME = "range";

    public RangeAssignor() {}

    @Override
    public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
        RebalanceInput group = RebalanceInput.of(partitionsPerTopic, subscriptions);
        Map<String, List<TopicPartition>> plan = group.emptyPlan();
        for (String topic : group.subscribedTopics()) {
            List<String> subscribers = group.subscribersOf(topic);
            int partitions = group.partitionCount(topic);
            int perMember = partitions / subscribers.size();
            int withExtra = partitions % subscribers.size();
            for (int i = 0; i < subscribers.size(); i++) {
                int start = perMember * i + Math.min(i, withExtra);
                int length = perMember + (i < withExtra ? 1 : 0);
                List<TopicPartition> share = plan.get(subscribers.get(i));
                for (int p = start; p < start + length; p++) {
                    share.add(new TopicPartition(topic, p));
                }
            }
        }
        return group.toAssignment(plan);
    }

    @Override
    public String name() {
        return NAME;
    }
}
