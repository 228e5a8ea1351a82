package io.weir.clients.consumer.internals;

import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random groups for the assignor properties. Topics are {@code t0..t4}, of which the first 1 to 5 exist with 1
 * to 20 partitions each; a subscription is a 6-bit mask over {@code t0..t4} and {@code ghost}, a topic that never
 * exists. So subscriptions to missing topics, to nothing at all, and overlapping subsets all come up.
 */
final class GroupScenarios {
    static final int MAX_MEMBERS = 12;
    private static final int MAX_TOPICS = 5;
    private static final String GHOST = "ghost";

    private GroupScenarios() {}

    /** Existing topics and their partition counts. */
    static Arbitrary<Map<String, Integer>> topics() {
        return Arbitraries.integers()
                .between(1, 20)
                .list()
                .ofMinSize(1)
                .ofMaxSize(MAX_TOPICS)
                .map(counts -> {
                    Map<String, Integer> topics = new LinkedHashMap<>();
                    for (int i = 0; i < counts.size(); i++) {
                        topics.put("t" + i, counts.get(i));
                    }
                    return topics;
                });
    }

    /** Any subscription, possibly empty or only to missing topics. */
    static Arbitrary<Integer> masks() {
        return Arbitraries.integers().between(0, 63);
    }

    /** A subscription that includes {@code t0}, which always exists: every member of a uniform group is active. */
    static Arbitrary<Integer> activeMasks() {
        return masks().map(mask -> mask | 1);
    }

    static List<String> topicsOf(int mask) {
        List<String> topics = new ArrayList<>();
        for (int bit = 0; bit < MAX_TOPICS; bit++) {
            if ((mask & (1 << bit)) != 0) {
                topics.add("t" + bit);
            }
        }
        if ((mask & (1 << MAX_TOPICS)) != 0) {
            topics.add(GHOST);
        }
        return topics;
    }

    /**
     * Partitions a member claims to own before any assignment has run: a mix of real ones, partitions beyond a
     * topic's count, and partitions of {@code t5}, which never exists.
     */
    static Arbitrary<List<TopicPartition>> junkOwnership() {
        return Arbitraries.integers()
                .between(0, 6 * 25 - 1)
                .map(i -> new TopicPartition("t" + i / 25, i % 25))
                .list()
                .ofMaxSize(8);
    }

    /** One membership change; indices pick members modulo the current group size. */
    record Change(List<Integer> leaving, List<Integer> joinerMasks, List<Resubscription> resubscriptions) {}

    record Resubscription(int member, int mask) {}

    /** @param joinerMask masks for joiners; use {@link #activeMasks()} where joiners must subscribe to t0 */
    static Arbitrary<Change> changes(Arbitrary<Integer> joinerMask, boolean resubscribe) {
        Arbitrary<List<Integer>> leaving =
                Arbitraries.integers().between(0, MAX_MEMBERS - 1).list().ofMaxSize(3);
        Arbitrary<List<Integer>> joiners = joinerMask.list().ofMaxSize(3);
        Arbitrary<List<Resubscription>> resubscriptions = resubscribe
                ? Combinators.combine(Arbitraries.integers().between(0, MAX_MEMBERS - 1), masks())
                        .as(Resubscription::new)
                        .list()
                        .ofMaxSize(2)
                : Arbitraries.just(List.of());
        return Combinators.combine(leaving, joiners, resubscriptions)
                .as(Change::new)
                .filter(c -> !c.leaving().isEmpty()
                        || !c.joinerMasks().isEmpty()
                        || !c.resubscriptions().isEmpty());
    }

    /** A group whose members all subscribe to {@code topicsOf(mask)}, then a run of joins and leaves. */
    record UniformHistory(Map<String, Integer> topics, int mask, int initialMembers, List<Change> changes) {
        List<String> commonTopics() {
            return topicsOf(mask);
        }
    }

    /** A group whose members subscribe by their own masks, then joins, leaves and resubscriptions. */
    record MixedHistory(Map<String, Integer> topics, List<Integer> initialMasks, List<Change> changes) {}

    static Arbitrary<UniformHistory> uniformHistories() {
        return Combinators.combine(
                        topics(),
                        activeMasks(),
                        Arbitraries.integers().between(1, MAX_MEMBERS),
                        changes(masks(), false).list().ofMinSize(1).ofMaxSize(5))
                .as(UniformHistory::new);
    }

    static Arbitrary<MixedHistory> mixedHistories() {
        return Combinators.combine(
                        topics(),
                        masks().list().ofMinSize(1).ofMaxSize(MAX_MEMBERS),
                        changes(masks(), true).list().ofMinSize(1).ofMaxSize(5))
                .as(MixedHistory::new);
    }
}
