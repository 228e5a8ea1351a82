package io.weir.streams.processor.internals;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serializer;
import io.weir.streams.TopologyDescription;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.processor.StreamPartitioner;
import io.weir.streams.processor.TimestampExtractor;
import io.weir.streams.processor.TopicNameExtractor;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.internals.StoreFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The graph a {@code Topology} is built into: node specifications (what to instantiate per task) and their parent
 * links, checked as each node is added, then cut into sub-topologies (connected parts) that are instantiated
 * once per task.
 *
 * <p>Thread-safety: every public or package method is {@code synchronized} on this builder, which guards all of its
 * state (the node specifications, links, stores, internal topics and the application id), so the DSL, the
 * Processor API and the runtime may call it from any thread. Private helpers run under that lock.
 */
public final class InternalTopologyBuilder {

    private sealed interface NodeSpec permits SourceSpec, ProcessorSpec, SinkSpec {
        String name();

        List<String> parents();
    }

    private record SourceSpec(
            String name,
            List<String> topics,
            Pattern pattern,
            Deserializer<?> keyDeserializer,
            Deserializer<?> valueDeserializer,
            TimestampExtractor timestampExtractor)
            implements NodeSpec {
        @Override
        public List<String> parents() {
            return List.of();
        }
    }

    private record ProcessorSpec(String name, ProcessorSupplier<?, ?, ?, ?> supplier, List<String> parents)
            implements NodeSpec {}

    private record SinkSpec(
            String name,
            String topic,
            TopicNameExtractor<?, ?> extractor,
            Serializer<?> keySerializer,
            Serializer<?> valueSerializer,
            StreamPartitioner<?, ?> partitioner,
            List<String> parents)
            implements NodeSpec {}

    /** A global store: the source reading its topic and the processor that keeps it, run by the global thread. */
    private record GlobalSpec(StoreFactory store, SourceSpec source, ProcessorSpec processor) {}

    private final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    /** Global stores by store name; their nodes are in no sub-topology. */
    private final Map<String, GlobalSpec> globalStores = new LinkedHashMap<>();

    private final Map<String, List<String>> children = new HashMap<>();
    private final Map<String, String> sourceOfTopic = new HashMap<>();
    private final Map<String, Set<String>> storesOf = new HashMap<>();
    private final Map<String, StoreFactory> stores = new LinkedHashMap<>();
    /** Internal topics (repartition, changelog) by their names before the application id prefixes them. */
    private final Set<String> internalTopics = new LinkedHashSet<>();
    /** Partition counts the topology fixes for some internal topics, by their names before the prefix. */
    private final Map<String, Integer> fixedPartitions = new HashMap<>();

    /** Join processors: the source topics of each one's sub-topology must be co-partitioned (Kafka's copartitionSources). */
    private final Set<String> copartitioningProcessors = new LinkedHashSet<>();

    private String applicationId;
    /** The last processor each supplier returned, to catch a supplier that hands one instance to two tasks. */
    private final Map<String, Object> lastSupplied = new HashMap<>();

    public synchronized void addSource(
            String name,
            Deserializer<?> keyDeserializer,
            Deserializer<?> valueDeserializer,
            Collection<String> topics) {
        addSource(name, null, keyDeserializer, valueDeserializer, topics);
    }

    /** A source with its own timestamp extractor (null: the application's {@code default.timestamp.extractor}). */
    public synchronized void addSource(
            String name,
            TimestampExtractor timestampExtractor,
            Deserializer<?> keyDeserializer,
            Deserializer<?> valueDeserializer,
            Collection<String> topics) {
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new TopologyException("source " + name + " reads no topic");
        }
        for (String topic : topics) {
            checkTopicName(name, topic);
            String other = sourceOfTopic.get(topic);
            if (other != null) {
                throw new TopologyException("topic " + topic + " is read by source " + other + " already; source "
                        + name + " cannot read it too (merge the two streams instead)");
            }
        }
        addNode(new SourceSpec(
                checkName(name),
                List.copyOf(new LinkedHashSet<>(topics)),
                null,
                keyDeserializer,
                valueDeserializer,
                timestampExtractor));
        topics.forEach(t -> sourceOfTopic.put(t, name));
    }

    public synchronized void addSource(
            String name, Deserializer<?> keyDeserializer, Deserializer<?> valueDeserializer, Pattern pattern) {
        addSource(name, null, keyDeserializer, valueDeserializer, pattern);
    }

    public synchronized void addSource(
            String name,
            TimestampExtractor timestampExtractor,
            Deserializer<?> keyDeserializer,
            Deserializer<?> valueDeserializer,
            Pattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        addNode(new SourceSpec(
                checkName(name), List.of(), pattern, keyDeserializer, valueDeserializer, timestampExtractor));
    }

    public synchronized void addProcessor(String name, ProcessorSupplier<?, ?, ?, ?> supplier, String... parents) {
        Objects.requireNonNull(supplier, "supplier of processor " + name);
        addNode(new ProcessorSpec(checkName(name), supplier, checkParents(name, parents)));
    }

    public synchronized void addSink(
            String name,
            String topic,
            TopicNameExtractor<?, ?> extractor,
            Serializer<?> keySerializer,
            Serializer<?> valueSerializer,
            String... parents) {
        addSink(name, topic, extractor, keySerializer, valueSerializer, null, parents);
    }

    /** A sink whose {@code partitioner} chooses each record's partition (null: the default partitioner). */
    public synchronized void addSink(
            String name,
            String topic,
            TopicNameExtractor<?, ?> extractor,
            Serializer<?> keySerializer,
            Serializer<?> valueSerializer,
            StreamPartitioner<?, ?> partitioner,
            String... parents) {
        if (topic == null && extractor == null) {
            throw new TopologyException("sink " + name + " has neither a topic nor a topic name extractor");
        }
        if (topic != null) {
            checkTopicName(name, topic);
        }
        addNode(new SinkSpec(
                checkName(name),
                topic,
                extractor,
                keySerializer,
                valueSerializer,
                partitioner,
                checkParents(name, parents)));
    }

    /** A store each task opens, used by the named processors (which may be added later and connected then). */
    public synchronized void addStateStore(StoreFactory store, String... processorNames) {
        Objects.requireNonNull(store, "store");
        if (stores.containsKey(store.name())) {
            throw new TopologyException(
                    "the store name " + store.name() + " is used twice; store names must be unique");
        }
        stores.put(store.name(), store);
        if (processorNames != null && processorNames.length > 0) {
            connectProcessorAndStores(processorNames[0], store.name());
            for (int i = 1; i < processorNames.length; i++) {
                connectProcessorAndStores(processorNames[i], store.name());
            }
        }
    }

    /**
     * A global store, as Kafka Streams' {@code addGlobalStore}: {@code sourceName} reads every partition of
     * {@code topic} and hands each record to {@code processorName}, which keeps {@code store}. The global stream
     * thread runs them (no task, no changelog: the topic is the store's changelog); every processor may read the
     * store.
     *
     * @throws TopologyException if a name is taken, the topic is read already, or the store name is used
     */
    public synchronized void addGlobalStore(
            StoreFactory store,
            String sourceName,
            TimestampExtractor timestampExtractor,
            Deserializer<?> keyDeserializer,
            Deserializer<?> valueDeserializer,
            String topic,
            String processorName,
            ProcessorSupplier<?, ?, ?, ?> supplier) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(supplier, "supplier of processor " + processorName);
        if (stores.containsKey(store.name()) || globalStores.containsKey(store.name())) {
            throw new TopologyException(
                    "the store name " + store.name() + " is used twice; store names must be unique");
        }
        checkTopicName(sourceName, topic);
        String other = sourceOfTopic.get(topic);
        if (other != null) {
            throw new TopologyException("topic " + topic + " is read by source " + other + " already; the global "
                    + "store " + store.name() + " cannot read it too");
        }
        checkName(sourceName);
        checkName(processorName);
        if (sourceName.equals(processorName)) {
            throw new TopologyException("the name " + sourceName + " is used by two nodes; names must be unique");
        }
        SourceSpec source = new SourceSpec(
                sourceName, List.of(topic), null, keyDeserializer, valueDeserializer, timestampExtractor);
        ProcessorSpec processor = new ProcessorSpec(processorName, supplier, List.of(sourceName));
        globalStores.put(store.name(), new GlobalSpec(store, source, processor));
        sourceOfTopic.put(topic, sourceName);
    }

    /** The global stores, by name. */
    public synchronized Map<String, StoreFactory> globalStores() {
        Map<String, StoreFactory> out = new LinkedHashMap<>();
        globalStores.forEach((name, spec) -> out.put(name, spec.store()));
        return Collections.unmodifiableMap(out);
    }

    /** The topic each global store reads, by store name. */
    public synchronized Map<String, String> globalTopics() {
        Map<String, String> out = new LinkedHashMap<>();
        globalStores.forEach(
                (name, spec) -> out.put(name, spec.source().topics().get(0)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Fresh global sources and processors, linked, for the one global task of an instance (or of the test driver).
     *
     * @throws TopologyException if a supplier returns null or an instance it returned before
     */
    @SuppressWarnings("unchecked")
    synchronized ProcessorTopology instantiateGlobal() {
        List<ProcessorNode> built = new ArrayList<>();
        Map<String, ProcessorNode> byTopic = new HashMap<>();
        for (GlobalSpec spec : globalStores.values()) {
            SourceSpec s = spec.source();
            ProcessorNode source = new ProcessorNode(
                    s.name(), new SourceProcessor(s.keyDeserializer(), s.valueDeserializer(), s.timestampExtractor()));
            ProcessorNode processor = new ProcessorNode(
                    spec.processor().name(), (Processor<Object, Object, Object, Object>) supplied(spec.processor()));
            source.addChild(processor);
            built.add(source);
            built.add(processor);
            byTopic.put(s.topics().get(0), source);
        }
        return new ProcessorTopology(built, byTopic, Map.of());
    }

    /** Records that {@code processor} uses the named stores; processors sharing a store run in one task. */
    public synchronized void connectProcessorAndStores(String processor, String... storeNames) {
        if (!(nodes.get(processor) instanceof ProcessorSpec)) {
            throw new TopologyException(
                    "no processor named " + processor + " to connect stores " + List.of(storeNames) + " to");
        }
        for (String store : storeNames) {
            if (!stores.containsKey(store)) {
                throw new TopologyException("processor " + processor + " names the store " + store
                        + ", which does not exist: " + "add it with addStateStore first");
            }
        }
        storesOf.computeIfAbsent(processor, p -> new TreeSet<>()).addAll(List.of(storeNames));
    }

    /** The stores the processors of sub-topology {@code id} use. */
    public synchronized List<StoreFactory> stores(int id) {
        Set<String> names = new LinkedHashSet<>();
        for (String node : subtopologies().get(id)) {
            names.addAll(storesOf.getOrDefault(node, Set.of()));
        }
        return names.stream().map(stores::get).toList();
    }

    /** Whether {@code processor} may use {@code store}. */
    synchronized boolean isConnected(String processor, String store) {
        return storesOf.getOrDefault(processor, Set.of()).contains(store);
    }

    /** Marks {@code topic} as internal: at run time it is named {@code <application.id>-<topic>}, as in Kafka Streams. */
    public synchronized void markInternal(String topic) {
        internalTopics.add(topic);
    }

    /**
     * Fixes the partition count of the internal topic {@code topic} (its name before the application id prefixes
     * it), as {@code Repartitioned.withNumberOfPartitions} asks.
     */
    public synchronized void setPartitionCount(String topic, int partitions) {
        fixedPartitions.put(topic, partitions);
    }

    /** The internal topics whose partition count the topology fixes, by run-time name. */
    public synchronized Map<String, Integer> fixedPartitionCounts() {
        Map<String, Integer> out = new HashMap<>();
        fixedPartitions.forEach((topic, count) -> out.put(topicName(topic), count));
        return out;
    }

    /** Prefixes the internal topics with the application's id; set once, by the runtime or the test driver. */
    public synchronized void setApplicationId(String applicationId) {
        if (this.applicationId != null && !this.applicationId.equals(applicationId)) {
            throw new TopologyException("this topology runs as application " + this.applicationId
                    + " already; build another " + "for application " + applicationId);
        }
        this.applicationId = applicationId;
    }

    /** The name {@code topic} has at run time. */
    public synchronized String topicName(String topic) {
        return applicationId != null && internalTopics.contains(topic) ? applicationId + "-" + topic : topic;
    }

    /** The internal topics, named as at run time. */
    public synchronized Set<String> internalTopics() {
        Set<String> out = new LinkedHashSet<>();
        internalTopics.forEach(t -> out.add(topicName(t)));
        return out;
    }

    private void addNode(NodeSpec spec) {
        nodes.put(spec.name(), spec);
        for (String parent : spec.parents()) {
            children.computeIfAbsent(parent, p -> new ArrayList<>()).add(spec.name());
        }
    }

    private String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new TopologyException("a node needs a name");
        }
        if (nodes.containsKey(name) || isGlobalNode(name)) {
            throw new TopologyException("the name " + name + " is used by two nodes; names must be unique");
        }
        return name;
    }

    private boolean isGlobalNode(String name) {
        for (GlobalSpec spec : globalStores.values()) {
            if (spec.source().name().equals(name) || spec.processor().name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void checkTopicName(String node, String topic) {
        if (topic == null
                || topic.isEmpty()
                || topic.length() > 249
                || !topic.matches("[a-zA-Z0-9._-]+")
                || topic.equals(".")
                || topic.equals("..")) {
            throw new TopologyException("node " + node + " names the topic '" + topic
                    + "', which is not a valid topic name " + "(1 to 249 of a-z, A-Z, 0-9, '.', '_', '-')");
        }
    }

    private List<String> checkParents(String name, String... parents) {
        if (parents == null || parents.length == 0) {
            throw new TopologyException("node " + name + " has no parent; processors and sinks need at least one");
        }
        for (String parent : parents) {
            NodeSpec p = nodes.get(parent);
            if (p == null) {
                throw new TopologyException("node " + name + " names the parent " + parent
                        + ", which does not exist (yet): " + "add parents before their children");
            }
            if (p instanceof SinkSpec) {
                throw new TopologyException(
                        "node " + name + " names the sink " + parent + " as its parent; a sink has no children");
            }
            if (parent.equals(name)) {
                throw new TopologyException("node " + name + " names itself as its parent");
            }
        }
        return List.of(parents);
    }

    /** The sub-topologies: nodes grouped by parent links, numbered in the order of their first node. */
    public synchronized List<List<String>> subtopologies() {
        Map<String, String> root = new HashMap<>();
        for (String name : nodes.keySet()) {
            root.put(name, name);
        }
        for (NodeSpec spec : nodes.values()) {
            for (String parent : spec.parents()) {
                union(root, spec.name(), parent);
            }
        }
        Map<String, String> firstUser = new HashMap<>();
        storesOf.forEach((processor, names) -> {
            for (String store : names) {
                String other = firstUser.putIfAbsent(store, processor);
                if (other != null) {
                    union(root, processor, other);
                }
            }
        });
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String name : nodes.keySet()) {
            groups.computeIfAbsent(find(root, name), r -> new ArrayList<>()).add(name);
        }
        return List.copyOf(groups.values());
    }

    private static String find(Map<String, String> root, String name) {
        String r = name;
        while (!root.get(r).equals(r)) {
            r = root.get(r);
        }
        root.put(name, r);
        return r;
    }

    private static void union(Map<String, String> root, String a, String b) {
        String ra = find(root, a);
        String rb = find(root, b);
        if (!ra.equals(rb)) {
            root.put(rb, ra);
        }
    }

    /** The topics the sources of sub-topology {@code id} read (patterns excluded). */
    public synchronized Set<String> sourceTopics(int id) {
        Set<String> topics = new LinkedHashSet<>();
        for (String name : subtopologies().get(id)) {
            if (nodes.get(name) instanceof SourceSpec s) {
                s.topics().forEach(topic -> topics.add(topicName(topic)));
            }
        }
        return topics;
    }

    /** The sub-topology whose sources read {@code topic} (by name or pattern), or -1. */
    public synchronized int subtopologyReading(String topic) {
        List<List<String>> subs = subtopologies();
        for (int i = 0; i < subs.size(); i++) {
            for (String name : subs.get(i)) {
                if (nodes.get(name) instanceof SourceSpec s
                        && (s.topics().stream().anyMatch(t -> topicName(t).equals(topic))
                                || (s.pattern() != null
                                        && s.pattern().matcher(topic).matches()))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Records that the join {@code processor} needs its inputs co-partitioned: key k must be in the same partition of
     * every source topic of its sub-topology, so that each task sees both sides of its keys.
     */
    public synchronized void requireCopartitioned(String processor) {
        if (!(nodes.get(processor) instanceof ProcessorSpec)) {
            throw new TopologyException("no processor named " + processor + " to co-partition the inputs of");
        }
        copartitioningProcessors.add(processor);
    }

    /** The co-partition groups: the source topics (run-time names) of each sub-topology that joins, by its id. */
    public synchronized Map<Integer, Set<String>> copartitionGroups() {
        Map<Integer, Set<String>> groups = new LinkedHashMap<>();
        List<List<String>> subs = subtopologies();
        for (int i = 0; i < subs.size(); i++) {
            if (subs.get(i).stream().anyMatch(copartitioningProcessors::contains)) {
                groups.put(i, sourceTopics(i));
            }
        }
        return groups;
    }

    /**
     * Checks that every co-partition group's topics that are not repartition topics have the same partition count,
     * and gives the group's repartition topics that count, as Kafka's {@code CopartitionedTopicsEnforcer}. A
     * repartition topic whose count is fixed ({@link #setPartitionCount}, from {@code
     * Repartitioned.withNumberOfPartitions}) must have that count: in a group with external topics it must equal
     * theirs; a group of repartition topics only takes the fixed count (all fixed counts must agree), or, with none
     * fixed, the largest of their counts. Topics missing from {@code partitions} are not checked.
     *
     * @param partitions the partition count of each topic, by run-time name
     * @return {@code partitions} with each co-partitioned repartition topic set to its group's count
     * @throws TopologyException naming the topics of a group and their counts when the counts differ
     */
    public synchronized Map<String, Integer> ensureCopartitioning(Map<String, Integer> partitions) {
        Set<String> repartitionTopics = internalTopics();
        Map<String, Integer> fixed = fixedPartitionCounts();
        Map<String, Integer> resolved = new HashMap<>(partitions);
        copartitionGroups().forEach((id, topics) -> {
            Map<String, Integer> counts = new TreeMap<>();
            Map<String, Integer> fixedCounts = new TreeMap<>();
            for (String topic : topics) {
                Integer count = partitions.get(topic);
                if (!repartitionTopics.contains(topic) && count != null) {
                    counts.put(topic, count);
                } else if (fixed.containsKey(topic)) {
                    fixedCounts.put(topic, fixed.get(topic));
                }
            }
            if (new HashSet<>(counts.values()).size() > 1) {
                throw new TopologyException("sub-topology " + id + " joins topics that are not co-partitioned. "
                        + "Following topics do not have the same number of partitions: " + counts);
            }
            if (new HashSet<>(fixedCounts.values()).size() > 1) {
                throw new TopologyException("sub-topology " + id + " joins repartition topics whose numbers of "
                        + "partitions are fixed to different values: " + fixedCounts);
            }
            if (!counts.isEmpty() && !fixedCounts.isEmpty() && !counts.values().containsAll(fixedCounts.values())) {
                throw new TopologyException("sub-topology " + id + " joins repartition topics whose fixed numbers of "
                        + "partitions " + fixedCounts + " differ from the source topics' " + counts);
            }
            // A group of repartition topics only (both sides of the join come through one) takes their fixed count,
            // or else the largest of their counts: what matters is that they agree.
            int count = !counts.isEmpty()
                    ? counts.values().iterator().next()
                    : !fixedCounts.isEmpty()
                            ? fixedCounts.values().iterator().next()
                            : topics.stream()
                                    .filter(repartitionTopics::contains)
                                    .mapToInt(topic -> resolved.getOrDefault(topic, 0))
                                    .max()
                                    .orElse(0);
            if (count > 0) {
                topics.stream().filter(repartitionTopics::contains).forEach(topic -> resolved.put(topic, count));
            }
        });
        return Collections.unmodifiableMap(resolved);
    }

    /** The topics the sinks of sub-topology {@code id} name (run-time names; topic name extractors excluded). */
    public synchronized Set<String> sinkTopics(int id) {
        Set<String> topics = new LinkedHashSet<>();
        for (String name : subtopologies().get(id)) {
            if (nodes.get(name) instanceof SinkSpec k && k.topic() != null) {
                topics.add(topicName(k.topic()));
            }
        }
        return topics;
    }

    /**
     * What the runtime's consumer subscribes to: every source topic and pattern in one pattern (literal topics
     * quoted), or null if no source reads by pattern, in which case {@link #sourceTopics} of every sub-topology is
     * the subscription.
     */
    public synchronized Pattern subscriptionPattern() {
        List<String> alternatives = new ArrayList<>();
        boolean anyPattern = false;
        for (NodeSpec spec : nodes.values()) {
            if (spec instanceof SourceSpec source) {
                if (source.pattern() != null) {
                    anyPattern = true;
                    alternatives.add("(?:" + source.pattern().pattern() + ")");
                } else {
                    source.topics().forEach(t -> alternatives.add(Pattern.quote(topicName(t))));
                }
            }
        }
        return anyPattern ? Pattern.compile(String.join("|", alternatives)) : null;
    }

    /** Every store of the topology, by name. */
    public synchronized Map<String, StoreFactory> allStores() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(stores));
    }

    /** Whether a source of sub-topology {@code id} subscribes by pattern. */
    public synchronized boolean readsPattern(int id) {
        return subtopologies().get(id).stream()
                .anyMatch(name -> nodes.get(name) instanceof SourceSpec s && s.pattern() != null);
    }

    /** Whether any sub-topology has a source. */
    public synchronized boolean hasSources() {
        return !globalStores.isEmpty() || nodes.values().stream().anyMatch(n -> n instanceof SourceSpec);
    }

    /**
     * Fresh processors for one task of sub-topology {@code id}, linked to their children.
     *
     * @throws TopologyException if a supplier returns an instance it returned before
     */
    @SuppressWarnings("unchecked")
    synchronized ProcessorTopology instantiate(int id) {
        List<String> names = subtopologies().get(id);
        Map<String, ProcessorNode> built = new LinkedHashMap<>();
        Map<String, ProcessorNode> byTopic = new HashMap<>();
        Map<Pattern, ProcessorNode> byPattern = new HashMap<>();
        for (String name : names) {
            NodeSpec spec = nodes.get(name);
            ProcessorNode node;
            if (spec instanceof SourceSpec s) {
                node = new ProcessorNode(
                        name, new SourceProcessor(s.keyDeserializer(), s.valueDeserializer(), s.timestampExtractor()));
            } else if (spec instanceof ProcessorSpec p) {
                node = new ProcessorNode(name, (Processor<Object, Object, Object, Object>) supplied(p));
            } else {
                SinkSpec k = (SinkSpec) spec;
                String fixed = k.topic() == null ? null : topicName(k.topic());
                TopicNameExtractor<?, ?> topics =
                        k.extractor() != null ? k.extractor() : (key, value, context) -> fixed;
                Processor<?, ?, ?, ?> sink =
                        new SinkProcessor(name, topics, k.keySerializer(), k.valueSerializer(), k.partitioner());
                node = new ProcessorNode(name, (Processor<Object, Object, Object, Object>) sink);
            }
            built.put(name, node);
            if (spec instanceof SourceSpec s) {
                s.topics().forEach(t -> byTopic.put(topicName(t), node));
                if (s.pattern() != null) {
                    byPattern.put(s.pattern(), node);
                }
            }
        }
        for (String name : names) {
            for (String child : children.getOrDefault(name, List.of())) {
                built.get(name).addChild(built.get(child));
            }
        }
        return new ProcessorTopology(new ArrayList<>(built.values()), byTopic, byPattern);
    }

    /** A new processor from {@code p}'s supplier, checked to be neither null nor the one it returned last. */
    private Processor<?, ?, ?, ?> supplied(ProcessorSpec p) {
        String name = p.name();
        Processor<?, ?, ?, ?> processor = p.supplier().get();
        if (processor == null) {
            throw new TopologyException("the supplier of processor " + name + " returned null");
        }
        if (lastSupplied.get(name) == processor) {
            throw new TopologyException("the supplier of processor " + name + " returned the same instance twice; "
                    + "ProcessorSupplier.get() must return a new processor for every task");
        }
        lastSupplied.put(name, processor);
        return processor;
    }

    /** The description {@code Topology.describe()} returns. */
    public synchronized TopologyDescription describe() {
        List<TopologyDescription.Subtopology> subs = new ArrayList<>();
        List<List<String>> groups = subtopologies();
        for (int i = 0; i < groups.size(); i++) {
            Map<String, Described> described = new LinkedHashMap<>();
            for (String name : groups.get(i)) {
                NodeSpec spec = nodes.get(name);
                Described node;
                if (spec instanceof SourceSpec s) {
                    Set<String> topics = new LinkedHashSet<>();
                    s.topics().forEach(topic -> topics.add(topicName(topic)));
                    node = new DescribedSource(name, topics, s.pattern());
                } else if (spec instanceof SinkSpec k) {
                    node = new DescribedSink(name, k.topic() == null ? null : topicName(k.topic()), k.extractor());
                } else {
                    node = new DescribedProcessor(name, storesOf.getOrDefault(name, Set.of()));
                }
                described.put(name, node);
            }
            for (String name : groups.get(i)) {
                for (String child : children.getOrDefault(name, List.of())) {
                    described.get(name).linkedSuccessors.add(described.get(child));
                }
                for (String parent : nodes.get(name).parents()) {
                    described.get(name).linkedPredecessors.add(described.get(parent));
                }
            }
            // Kafka's order (InternalTopologyBuilder.NodeComparator): larger sub-trees first, then by name; a
            // node's size is 1 plus its children's sizes. The sets keep that order (as Kafka's TreeSets do).
            Map<Described, Integer> sizes = new HashMap<>();
            described.values().forEach(d -> size(d, sizes));
            Comparator<TopologyDescription.Node> order = Comparator.<TopologyDescription.Node>comparingInt(
                            n -> -sizes.get((Described) n))
                    .thenComparing(TopologyDescription.Node::name);
            for (Described d : described.values()) {
                d.order(order);
            }
            subs.add(new DescribedSubtopology(i, sorted(described.values(), order)));
        }
        List<TopologyDescription.GlobalStore> globals = new ArrayList<>();
        int id = groups.size();
        for (GlobalSpec spec : globalStores.values()) {
            DescribedSource source = new DescribedSource(
                    spec.source().name(), new LinkedHashSet<>(spec.source().topics()), null);
            DescribedProcessor processor = new DescribedProcessor(
                    spec.processor().name(), Set.of(spec.store().name()));
            source.linkedSuccessors.add(processor);
            processor.linkedPredecessors.add(source);
            Comparator<TopologyDescription.Node> byName = Comparator.comparing(TopologyDescription.Node::name);
            source.order(byName);
            processor.order(byName);
            globals.add(new DescribedGlobalStore(source, processor, id++));
        }
        return new Description(
                Collections.unmodifiableSet(new LinkedHashSet<>(subs)),
                Collections.unmodifiableSet(new LinkedHashSet<>(globals)));
    }

    private static Set<TopologyDescription.Node> sorted(
            Collection<? extends TopologyDescription.Node> nodes, Comparator<TopologyDescription.Node> order) {
        List<TopologyDescription.Node> list = new ArrayList<>(nodes);
        list.sort(order);
        return Collections.unmodifiableSet(new LinkedHashSet<>(list));
    }

    private static int size(Described node, Map<Described, Integer> sizes) {
        Integer known = sizes.get(node);
        if (known != null) {
            return known;
        }
        int size = 1;
        for (TopologyDescription.Node child : node.linkedSuccessors) {
            size += size((Described) child, sizes);
        }
        sizes.put(node, size);
        return size;
    }

    // ---- the description: Kafka's printout ---------------------------------------------------------------

    private record Description(
            Set<TopologyDescription.Subtopology> subtopologies, Set<TopologyDescription.GlobalStore> globalStores)
            implements TopologyDescription {
        @Override
        public String toString() {
            // Kafka's layout, spaces and blank lines included, so that tools parsing it read ours too.
            StringBuilder out = new StringBuilder("Topologies:\n ");
            for (TopologyDescription.Subtopology s : subtopologies) {
                out.append("  ").append(s);
            }
            for (TopologyDescription.GlobalStore g : globalStores) {
                out.append("  ").append(g);
            }
            return out.toString();
        }
    }

    private record DescribedGlobalStore(
            TopologyDescription.Source source, TopologyDescription.Processor processor, int id)
            implements TopologyDescription.GlobalStore {
        @Override
        public String toString() {
            // Kafka's GlobalStore layout.
            return "Sub-topology: " + id + " for global store (will not generate tasks)\n" + "    " + source + "\n"
                    + "    " + processor + "\n";
        }
    }

    private record DescribedSubtopology(int id, Set<TopologyDescription.Node> nodes)
            implements TopologyDescription.Subtopology {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("Sub-topology: ").append(id).append('\n');
            for (TopologyDescription.Node n : nodes) {
                out.append("    ").append(n).append('\n');
            }
            return out.append('\n').toString();
        }
    }

    private abstract static class Described implements TopologyDescription.Node {
        final String name;
        /** The links as the description is built; {@link #order} then fixes the sets it answers with. */
        final List<TopologyDescription.Node> linkedPredecessors = new ArrayList<>();

        final List<TopologyDescription.Node> linkedSuccessors = new ArrayList<>();
        private Set<TopologyDescription.Node> predecessors = Set.of();
        private Set<TopologyDescription.Node> successors = Set.of();

        Described(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        void order(Comparator<TopologyDescription.Node> order) {
            predecessors = sorted(linkedPredecessors, order);
            successors = sorted(linkedSuccessors, order);
        }

        @Override
        public Set<TopologyDescription.Node> predecessors() {
            return predecessors;
        }

        @Override
        public Set<TopologyDescription.Node> successors() {
            return successors;
        }

        static String names(Collection<TopologyDescription.Node> nodes) {
            return nodes.isEmpty()
                    ? "none"
                    : String.join(
                            ", ",
                            nodes.stream().map(TopologyDescription.Node::name).toList());
        }
    }

    private static final class DescribedSource extends Described implements TopologyDescription.Source {
        private final Set<String> topics;
        private final Pattern pattern;

        DescribedSource(String name, Set<String> topics, Pattern pattern) {
            super(name);
            this.topics = Collections.unmodifiableSet(topics);
            this.pattern = pattern;
        }

        @Override
        public Set<String> topicSet() {
            return topics;
        }

        @Override
        public Pattern topicPattern() {
            return pattern;
        }

        @Override
        public String toString() {
            return "Source: " + name + " (topics: " + (pattern != null ? pattern.pattern() : topics.toString())
                    + ")\n      --> " + names(successors());
        }
    }

    private static final class DescribedProcessor extends Described implements TopologyDescription.Processor {
        private final Set<String> stores;

        DescribedProcessor(String name, Set<String> stores) {
            super(name);
            this.stores = Collections.unmodifiableSet(new TreeSet<>(stores));
        }

        @Override
        public Set<String> stores() {
            return stores;
        }

        @Override
        public String toString() {
            return "Processor: " + name + " (stores: " + stores + ")\n      --> " + names(successors()) + "\n      <-- "
                    + names(predecessors());
        }
    }

    private static final class DescribedSink extends Described implements TopologyDescription.Sink {
        private final String topic;
        private final TopicNameExtractor<?, ?> extractor;

        DescribedSink(String name, String topic, TopicNameExtractor<?, ?> extractor) {
            super(name);
            this.topic = topic;
            this.extractor = extractor;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public String toString() {
            return "Sink: " + name
                    + (topic != null ? " (topic: " + topic + ")" : " (extractor class: " + extractor + ")")
                    + "\n      <-- " + names(predecessors());
        }
    }
}
