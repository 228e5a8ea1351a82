package io.weir.clients.consumer.internals;

import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The working assignment of {@link GeneralStickyPlanner}: which member holds which partition, split by topic and
 * into <em>kept</em> (held by the member that owned it coming in) and <em>fresh</em> (anything else), with a
 * running count per member. Members are addressed by their index in member order.
 *
 * <p>Invariant: every partition is held by at most one member, in exactly one of its two sets, and
 * {@code load[m]} is the size of member {@code m}'s two sets together.
 *
 * <p>Mutable, confined to the leader's thread for one {@code assign}.
 */
final class Holdings {
    private final List<String> members;
    private final int[] load;
    private final List<SortedMap<String, TreeSet<TopicPartition>>> kept = new ArrayList<>();
    private final List<SortedMap<String, TreeSet<TopicPartition>>> fresh = new ArrayList<>();
    private final Map<TopicPartition, Integer> previousOwner = new HashMap<>();

    Holdings(List<String> members) {
        this.members = members;
        this.load = new int[members.size()];
        for (int i = 0; i < members.size(); i++) {
            kept.add(new TreeMap<>());
            fresh.add(new TreeMap<>());
        }
    }

    int size() {
        return members.size();
    }

    int load(int member) {
        return load[member];
    }

    /** Places a partition {@code member} owned coming in; it stays kept until it moves away. */
    void keep(int member, TopicPartition tp) {
        previousOwner.put(tp, member);
        add(kept, member, tp);
    }

    /** Places a partition with a member that did not own it. */
    void give(int member, TopicPartition tp) {
        add(fresh, member, tp);
    }

    /** Moves {@code tp} from one member to another; it counts as kept again only if it returns to its owner. */
    void move(TopicPartition tp, int from, int to) {
        boolean removed = remove(fresh, from, tp) || remove(kept, from, tp);
        if (!removed) {
            throw new IllegalStateException(tp + " is not held by " + members.get(from));
        }
        Integer owner = previousOwner.get(tp);
        add(owner != null && owner == to ? kept : fresh, to, tp);
    }

    /** Topics of which {@code member} holds a partition it did not own, sorted. */
    Set<String> freshTopics(int member) {
        return fresh.get(member).keySet();
    }

    /** Topics of which {@code member} holds a partition it owned, sorted. */
    Set<String> keptTopics(int member) {
        return kept.get(member).keySet();
    }

    /** The partition of {@code topic} that {@code member} would give up first among those it did not own, or null. */
    TopicPartition freshOf(int member, String topic) {
        TreeSet<TopicPartition> partitions = fresh.get(member).get(topic);
        return partitions == null ? null : partitions.last();
    }

    /** The partition of {@code topic} that {@code member} would give up first among those it owned, or null. */
    TopicPartition keptOf(int member, String topic) {
        TreeSet<TopicPartition> partitions = kept.get(member).get(topic);
        return partitions == null ? null : partitions.last();
    }

    /** Every member's partitions, keyed by member id in member order. */
    Map<String, List<TopicPartition>> toPlan(Map<String, List<TopicPartition>> emptyPlan) {
        for (int m = 0; m < members.size(); m++) {
            List<TopicPartition> share = emptyPlan.get(members.get(m));
            kept.get(m).values().forEach(share::addAll);
            fresh.get(m).values().forEach(share::addAll);
        }
        return emptyPlan;
    }

    private void add(List<SortedMap<String, TreeSet<TopicPartition>>> sets, int member, TopicPartition tp) {
        sets.get(member).computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp);
        load[member]++;
    }

    private boolean remove(List<SortedMap<String, TreeSet<TopicPartition>>> sets, int member, TopicPartition tp) {
        TreeSet<TopicPartition> partitions = sets.get(member).get(tp.topic());
        if (partitions == null || !partitions.remove(tp)) {
            return false;
        }
        if (partitions.isEmpty()) {
            sets.get(member).remove(tp.topic());
        }
        load[member]--;
        return true;
    }
}
