package io.weir.clients.consumer.internals;

import io.weir.common.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sticky assignment when members subscribe to different topics.
 *
 * <p><b>What balanced means here.</b> With differing subscriptions counts cannot always be within one, so the
 * target is the most even assignment the subscriptions allow: the one minimising the sum of squared member
 * counts. An assignment is such an optimum exactly when no <em>evening chain</em> exists: members
 * {@code x0, x1, ..., xk} where each {@code xi} holds a partition of a topic {@code xi+1} subscribes to and
 * {@code count(x0) >= count(xk) + 2}. Shifting one partition along the chain changes only the two end counts,
 * and lowers the sum (Harvey, Ladner, Lovász and Tamir, "Semi-matchings for bipartite graphs and load
 * balancing", 2003). Kafka's {@code isBalanced} checks only chains of length one.
 *
 * <p><b>Algorithm.</b>
 * <ol>
 *   <li>Every member keeps what it owns ({@link Ownership#keepable}).</li>
 *   <li>Each other partition, those of topics with fewest subscribers first, goes to its least-loaded
 *       subscriber.</li>
 *   <li>Evening chains are applied, moving only partitions placed in step 2, until none is left. The result is
 *       the most even assignment that keeps every owned partition.</li>
 *   <li>Evening chains are applied again with owned partitions movable too. A chain is chosen to move as few
 *       owned partitions as possible, but the total moved is not minimised across chains.</li>
 * </ol>
 * Each chain lowers the sum of squares by at least two, so both loops end.
 *
 * <p><b>Why step 3 comes first.</b> Under cooperative rebalancing the follow-up round sees owned partitions
 * that are a subset of this round's (optimal) result. That result is itself an optimum keeping every owned
 * partition, so step 3 reaches the global optimum, step 4 finds no chain, and nothing owned moves: the protocol
 * settles in two rounds.
 *
 * <p>Stateless; used on the leader's thread.
 */
final class GeneralStickyPlanner {
    private GeneralStickyPlanner() {}

    static Map<String, List<TopicPartition>> plan(RebalanceInput group, Ownership ownership) {
        List<String> members = group.members();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            index.put(members.get(i), i);
        }
        Map<String, int[]> subscribers = new HashMap<>();
        for (String topic : group.subscribedTopics()) {
            subscribers.put(
                    topic,
                    group.subscribersOf(topic).stream().mapToInt(index::get).toArray());
        }

        Holdings holdings = new Holdings(members);
        Set<TopicPartition> placed = new HashSet<>();
        for (int m = 0; m < members.size(); m++) {
            for (TopicPartition tp : ownership.keepable(group, members.get(m))) {
                holdings.keep(m, tp);
                placed.add(tp);
            }
        }
        List<TopicPartition> pool = new ArrayList<>();
        for (TopicPartition tp : group.subscribedPartitions()) {
            if (!placed.contains(tp)) {
                pool.add(tp);
            }
        }
        pool.sort(Comparator.comparingInt((TopicPartition tp) -> subscribers.get(tp.topic()).length)
                .thenComparing(Comparator.naturalOrder()));
        for (TopicPartition tp : pool) {
            holdings.give(leastLoaded(subscribers.get(tp.topic()), holdings), tp);
        }

        Evener evener = new Evener(holdings, subscribers);
        while (evener.evenOnce(Movable.FRESH_ONLY)) {
            // step 3: only partitions nobody here owned move
        }
        while (evener.evenOnce(Movable.OWNED_TOO)) {
            // step 4: owned partitions may move too
        }
        return holdings.toPlan(group.emptyPlan());
    }

    /** The first member, in member order, with the fewest partitions. */
    private static int leastLoaded(int[] candidates, Holdings holdings) {
        int best = candidates[0];
        for (int m : candidates) {
            if (holdings.load(m) < holdings.load(best)) {
                best = m;
            }
        }
        return best;
    }

    /**
     * Finds and applies evening chains over one {@link Holdings}. The search runs over members and topics:
     * member {@code x} reaches topic {@code t} by handing on one of its partitions of {@code t}, and topic
     * {@code t} reaches each of its subscribers. Going through topic nodes visits each topic once per search
     * instead of once per member holding it, which keeps a search linear in members plus subscriptions.
     */
    /** Which partitions an evening chain may hand on. */
    private enum Movable {
        /** Only those their holder did not own before the rebalance (step 3). */
        FRESH_ONLY,
        /** Owned ones too, at a cost, so the fewest move (step 4). */
        OWNED_TOO
    }

    private static final class Evener {
        private final Holdings holdings;
        private final int members;
        private final Map<String, Integer> topicNode = new HashMap<>();
        private final int[][] subscribersOfNode;
        private final int[] cost;
        private final int[] parent;
        private final TopicPartition[] via;
        private final boolean[] done;

        Evener(Holdings holdings, Map<String, int[]> subscribers) {
            this.holdings = holdings;
            this.members = holdings.size();
            int nodes = members + subscribers.size();
            subscribersOfNode = new int[nodes][];
            for (String topic : new TreeSet<>(subscribers.keySet())) {
                int node = members + topicNode.size();
                topicNode.put(topic, node);
                subscribersOfNode[node] = subscribers.get(topic);
            }
            cost = new int[nodes];
            parent = new int[nodes];
            via = new TopicPartition[nodes];
            done = new boolean[nodes];
        }

        /** Applies one evening chain, starting from the heaviest member that has one; false if none exists. */
        boolean evenOnce(Movable movable) {
            Integer[] heaviestFirst = new Integer[members];
            int lightest = Integer.MAX_VALUE;
            for (int m = 0; m < members; m++) {
                heaviestFirst[m] = m;
                lightest = Math.min(lightest, holdings.load(m));
            }
            // Stable sort over member order keeps ties deterministic.
            Arrays.sort(
                    heaviestFirst,
                    Comparator.comparingInt((Integer m) -> holdings.load(m)).reversed());
            for (int source : heaviestFirst) {
                if (holdings.load(source) < lightest + 2) {
                    return false; // nobody from here on is two above anyone
                }
                if (evenFrom(source, movable)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * 0-1 breadth-first search from {@code source}: handing on a partition its holder did not own costs
         * nothing, handing on an owned one costs one, so the chain found moves the fewest owned partitions.
         */
        private boolean evenFrom(int source, Movable movable) {
            Arrays.fill(cost, Integer.MAX_VALUE);
            Arrays.fill(done, false);
            Deque<Integer> queue = new ArrayDeque<>();
            cost[source] = 0;
            parent[source] = -1;
            queue.add(source);
            int target = holdings.load(source) - 2;
            while (!queue.isEmpty()) {
                int node = queue.pollFirst();
                if (done[node]) {
                    continue;
                }
                done[node] = true;
                if (node >= members) {
                    for (int y : subscribersOfNode[node]) {
                        relax(queue, node, y, 0, null);
                    }
                } else if (holdings.load(node) <= target) {
                    shiftAlongChain(node);
                    return true;
                } else {
                    for (String topic : holdings.freshTopics(node)) {
                        relax(queue, node, topicNode.get(topic), 0, holdings.freshOf(node, topic));
                    }
                    if (movable == Movable.OWNED_TOO) {
                        for (String topic : holdings.keptTopics(node)) {
                            relax(queue, node, topicNode.get(topic), 1, holdings.keptOf(node, topic));
                        }
                    }
                }
            }
            return false;
        }

        private void relax(Deque<Integer> queue, int from, int to, int step, TopicPartition handedOn) {
            if (cost[from] + step < cost[to]) {
                cost[to] = cost[from] + step;
                parent[to] = from;
                via[to] = handedOn;
                if (step == 0) {
                    queue.addFirst(to);
                } else {
                    queue.addLast(to);
                }
            }
        }

        /** Each member on the chain hands one partition to the next; only the two ends change count. */
        private void shiftAlongChain(int end) {
            for (int y = end; parent[y] != -1; ) {
                int topic = parent[y];
                int x = parent[topic];
                holdings.move(via[topic], x, y);
                y = x;
            }
        }
    }
}
