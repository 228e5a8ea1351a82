package io.weir.clients.consumer.internals;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated consumer group between rebalances: who is in it, what each subscribes to, what each owns and in
 * which generation it got it. The properties drive it with {@link GroupScenarios.Change}s and feed its
 * {@link #subscriptions()} to an assignor.
 */
final class Membership {
    private final Map<String, List<String>> topics = new TreeMap<>();
    private final Map<String, Set<TopicPartition>> owned = new TreeMap<>();
    private final Map<String, Integer> generations = new HashMap<>();
    private int nextMember;
    private int generation;

    /**
     * Adds a member that owns nothing and has never been in a generation. Ids do not sort in joining order (389 is
     * coprime to 1000, so they stay distinct), as Kafka's random member ids do not: otherwise the oldest members
     * would always come first in member order, and orders that matter would never be tried.
     */
    String join(List<String> subscribedTopics) {
        String id = String.format("m%03d", nextMember++ * 389 % 1000);
        topics.put(id, List.copyOf(subscribedTopics));
        owned.put(id, new TreeSet<>());
        generations.put(id, -1);
        return id;
    }

    /**
     * Applies a change: leavers first (never the last member), then resubscriptions, then joiners (up to
     * {@link GroupScenarios#MAX_MEMBERS}).
     *
     * @param commonTopics the topics every member subscribes to, or null if each chooses by its mask
     */
    void apply(GroupScenarios.Change change, List<String> commonTopics) {
        for (int index : change.leaving()) {
            if (topics.size() > 1) {
                String leaver = members().get(index % topics.size());
                topics.remove(leaver);
                owned.remove(leaver);
                generations.remove(leaver);
            }
        }
        if (commonTopics == null) {
            for (GroupScenarios.Resubscription r : change.resubscriptions()) {
                topics.put(members().get(r.member() % topics.size()), GroupScenarios.topicsOf(r.mask()));
            }
        }
        for (int mask : change.joinerMasks()) {
            if (topics.size() < GroupScenarios.MAX_MEMBERS) {
                join(commonTopics != null ? commonTopics : GroupScenarios.topicsOf(mask));
            }
        }
    }

    List<String> members() {
        return new ArrayList<>(topics.keySet());
    }

    Set<TopicPartition> owned(String member) {
        return owned.get(member);
    }

    Map<String, Set<TopicPartition>> ownership() {
        return owned;
    }

    Map<String, Subscription> subscriptions() {
        Map<String, Subscription> result = new TreeMap<>();
        topics.forEach((member, subscribed) -> result.put(
                member, new Subscription(subscribed, new ArrayList<>(owned.get(member)), generations.get(member))));
        return result;
    }

    /** Eager rebalancing: each member now owns exactly what it was assigned. */
    void adoptEagerly(Map<String, List<TopicPartition>> assignment) {
        generation++;
        for (String member : members()) {
            owned.put(member, new TreeSet<>(assignment.get(member)));
            generations.put(member, generation);
        }
    }

    /**
     * Cooperative rebalancing: each member keeps what it owns and was assigned again, revokes what it was not,
     * and takes up assigned partitions nobody owns. A partition assigned to it but owned by someone else it
     * could not take; the properties assert that never happens.
     *
     * @return whether any member revoked a partition, which makes it rejoin for a follow-up rebalance
     */
    boolean adoptCooperatively(Map<String, List<TopicPartition>> assignment) {
        Set<TopicPartition> ownedByAnyone = new HashSet<>();
        owned.values().forEach(ownedByAnyone::addAll);
        boolean revoked = false;
        generation++;
        for (String member : members()) {
            Set<TopicPartition> assigned = new TreeSet<>(assignment.get(member));
            Set<TopicPartition> next = new TreeSet<>(owned.get(member));
            revoked |= next.retainAll(assigned);
            for (TopicPartition tp : assigned) {
                if (!ownedByAnyone.contains(tp)) {
                    next.add(tp);
                }
            }
            owned.put(member, next);
            generations.put(member, generation);
        }
        return revoked;
    }

    /** No partition is owned by two members at once. */
    void assertNoPartitionOwnedTwice() {
        Map<TopicPartition, String> holder = new HashMap<>();
        owned.forEach((member, partitions) -> {
            for (TopicPartition tp : partitions) {
                String other = holder.put(tp, member);
                assertNull(other, tp + " owned by both " + other + " and " + member + " in " + owned);
            }
        });
    }
}
