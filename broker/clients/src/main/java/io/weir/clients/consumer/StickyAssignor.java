package io.weir.clients.consumer;

import io.weir.clients.consumer.internals.Ownership;
import io.weir.clients.consumer.internals.RebalanceInput;
import io.weir.clients.consumer.internals.StickyPlanner;
import java.util.Map;

/**
 * Kafka's {@code sticky} strategy under eager rebalancing: as balanced as round-robin, while leaving as many
 * partitions as possible with the member that owned them before ({@link Subscription#ownedPartitions()}, the
 * highest {@code generationId} winning a disputed partition). Owned partitions of topics the member no longer
 * subscribes to, or that no longer exist, are given up.
 *
 * <p>With identical subscriptions the result is balanced (counts differ by at most one) and moves the fewest
 * partitions any balanced assignment can. With differing subscriptions it is as even as the subscriptions
 * allow and keeps owned partitions where it can, without a guarantee of minimal movement; see
 * {@code GeneralStickyPlanner}.
 *
 * <p>Stateless; a pure function of its arguments, so safe from any thread.
 */
public final class StickyAssignor implements ConsumerPartitionAssignor {
    public static final String NAME = "sticky";

    public StickyAssignor() {}

    @Override
    public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
        RebalanceInput group = RebalanceInput.of(partitionsPerTopic, subscriptions);
        return group.toAssignment(StickyPlanner.plan(group, Ownership.of(group)));
    }

    @Override
    public String name() {
        return NAME;
    }
}
