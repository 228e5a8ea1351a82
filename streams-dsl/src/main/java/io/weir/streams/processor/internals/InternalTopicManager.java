package io.weir.streams.processor.internals;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.TopicDescription;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.streams.StreamsConfig;
import io.weir.streams.errors.MissingSourceTopicException;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.state.internals.StoreFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Works out, checks and creates the topics a topology needs before its threads start, as Kafka Streams'
 * {@code InternalTopicManager} and its assignor do: the source topics must exist; a repartition topic
 * ({@code <application.id>-<name>-repartition}) gets as many partitions as the topics its writers read, or as the
 * topics it is joined with; every logged store gets a compacted {@code <application.id>-<store>-changelog} with one
 * partition per task of its sub-topology. Topics that exist are checked, never altered.
 */
public final class InternalTopicManager {
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final InternalTopologyBuilder builder;
    private final StreamsConfig config;

    public InternalTopicManager(Admin admin, InternalTopologyBuilder builder, StreamsConfig config) {
        this.admin = admin;
        this.builder = builder;
        this.config = config;
    }

    /**
     * Checks the source topics, creates the missing internal ones, and checks co-partitioning.
     *
     * @return the partition count of every topic the topology reads or keeps state in
     * @throws MissingSourceTopicException naming the source topics that do not exist
     * @throws TopologyException if joined topics are not co-partitioned, or an internal topic exists with another
     *         partition count
     */
    public Map<String, Integer> prepare() {
        Set<String> repartition = builder.internalTopics();
        int subtopologies = builder.subtopologies().size();
        Set<String> external = new TreeSet<>();
        for (int s = 0; s < subtopologies; s++) {
            for (String topic : builder.sourceTopics(s)) {
                if (!repartition.contains(topic)) {
                    external.add(topic);
                }
            }
        }
        Set<String> existing = call(admin.listTopics());
        List<String> missing =
                external.stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new MissingSourceTopicException("The source topics " + missing + " of application "
                    + config.applicationId() + " do not exist; create them before starting it");
        }
        Map<String, Integer> counts = new HashMap<>(partitionCounts(new ArrayList<>(external)));
        for (String topic : existing) {
            if (!repartition.contains(topic) && !counts.containsKey(topic)) {
                int reader = builder.subtopologyReading(topic);
                if (reader >= 0 && builder.readsPattern(reader)) {
                    counts.putAll(partitionCounts(List.of(topic)));
                }
            }
        }
        Map<String, Integer> fixed = builder.fixedPartitionCounts();
        counts.putAll(fixed);
        Set<String> derived = new TreeSet<>(repartition);
        derived.removeAll(fixed.keySet());
        resolveRepartitionCounts(derived, counts);
        counts = new HashMap<>(builder.ensureCopartitioning(counts));
        for (String topic : repartition) {
            counts.putIfAbsent(topic, 1);
        }
        Map<String, NewTopic> internal = new LinkedHashMap<>();
        for (String topic : repartition) {
            Map<String, String> topicConfig = new HashMap<>();
            topicConfig.put("cleanup.policy", "delete");
            topicConfig.put("retention.ms", "-1");
            topicConfig.putAll(config.topicProps());
            internal.put(topic, new NewTopic(topic, counts.get(topic), topicConfig));
        }
        Map<String, StoreFactory> stores = builder.allStores();
        for (int s = 0; s < subtopologies; s++) {
            int tasks = taskCount(s, counts);
            for (StoreFactory store : builder.stores(s)) {
                if (!store.loggingEnabled()) {
                    continue;
                }
                String topic = StreamTask.changelogTopic(config.applicationId(), store.name());
                Map<String, String> topicConfig = new HashMap<>();
                topicConfig.put("cleanup.policy", "compact");
                topicConfig.putAll(config.topicProps());
                topicConfig.putAll(stores.get(store.name()).logConfig());
                internal.put(topic, new NewTopic(topic, tasks, topicConfig));
                counts.put(topic, tasks);
            }
        }
        create(internal, existing);
        return counts;
    }

    /** The tasks of sub-topology {@code s}: one per partition of its largest source topic. */
    public int taskCount(int s, Map<String, Integer> counts) {
        int tasks = 0;
        for (String topic : builder.sourceTopics(s)) {
            tasks = Math.max(tasks, counts.getOrDefault(topic, 0));
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (builder.subtopologyReading(e.getKey()) == s) {
                tasks = Math.max(tasks, e.getValue());
            }
        }
        return Math.max(tasks, 1);
    }

    /** Gives each repartition topic the largest partition count among the topics its writers read, to a fixed point. */
    private void resolveRepartitionCounts(Set<String> repartition, Map<String, Integer> counts) {
        int subtopologies = builder.subtopologies().size();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String topic : repartition) {
                int count = 0;
                for (int s = 0; s < subtopologies; s++) {
                    if (builder.sinkTopics(s).contains(topic)) {
                        for (String source : builder.sourceTopics(s)) {
                            count = Math.max(count, counts.getOrDefault(source, 0));
                        }
                    }
                }
                if (count > counts.getOrDefault(topic, 0)) {
                    counts.put(topic, count);
                    changed = true;
                }
            }
        }
    }

    private void create(Map<String, NewTopic> internal, Set<String> existing) {
        List<NewTopic> toCreate = new ArrayList<>();
        List<String> toCheck = new ArrayList<>();
        for (NewTopic topic : internal.values()) {
            if (existing.contains(topic.name())) {
                toCheck.add(topic.name());
            } else {
                toCreate.add(topic);
            }
        }
        if (!toCreate.isEmpty()) {
            try {
                admin.createTopics(toCreate).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new StreamsException(
                            "Could not create the internal topics "
                                    + toCreate.stream().map(NewTopic::name).toList() + ": " + e.getCause(),
                            e.getCause());
                }
            } catch (Exception e) {
                throw new StreamsException("Could not create the internal topics: " + e, e);
            }
        }
        Map<String, Integer> actual = partitionCounts(toCheck);
        for (String name : toCheck) {
            int wanted = internal.get(name).numPartitions();
            if (actual.get(name) != wanted) {
                throw new TopologyException("The internal topic " + name + " has " + actual.get(name)
                        + " partitions, but the topology needs " + wanted + " (the partitions of the topics it is "
                        + "derived from changed); delete it and reset the application to start over");
            }
        }
    }

    private Map<String, Integer> partitionCounts(List<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new MissingSourceTopicException("A topic of application " + config.applicationId()
                        + " disappeared while it started: " + e.getCause().getMessage());
            }
            throw new StreamsException("Could not describe the topics " + topics + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new StreamsException("Could not describe the topics " + topics + ": " + e, e);
        }
        Map<String, Integer> counts = new HashMap<>();
        described.forEach((name, d) -> counts.put(name, d.partitionCount()));
        return counts;
    }

    private static <T> T call(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new StreamsException("An admin call failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new StreamsException("An admin call failed: " + e, e);
        }
    }
}
