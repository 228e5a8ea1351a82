package io.weir.streams;

import io.weir.common.record.Header;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serializer;
import io.weir.common.utils.MockTime;
import io.weir.common.utils.Utils;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.processor.TaskId;
import io.weir.streams.processor.internals.GlobalStores;
import io.weir.streams.processor.internals.InternalTopologyBuilder;
import io.weir.streams.processor.internals.RecordCollector;
import io.weir.streams.processor.internals.StreamTask;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.ReadOnlySessionStore;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.internals.CompositeReadOnlySessionStore;
import io.weir.streams.state.internals.CompositeReadOnlyWindowStore;
import io.weir.streams.state.internals.PartitionedStoreView;
import io.weir.streams.state.internals.SessionStoreFacade;
import io.weir.streams.state.internals.TimestampedValuesView;
import io.weir.streams.state.internals.WindowStoreFacade;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs a {@link Topology} without a broker, deterministically, as Kafka's {@code TopologyTestDriver}: every piped
 * record runs through the topology before {@code pipeInput} returns, records written to a topic the topology reads
 * (a repartition or a {@code to} then {@code stream}) are processed right after, and wall-clock time moves only by
 * {@link #advanceWallClockTime}.
 *
 * <p>Unlike Kafka's, the driver can give every topic {@value #PARTITIONS_CONFIG} partitions: a record goes to the
 * partition of its key (murmur2, as the default partitioner), each sub-topology runs one task per partition with its
 * own processors, so per-partition state and repartitioning are tested as they run. The default is 1. A topic
 * may have its own count ({@value #TOPIC_PARTITIONS_PREFIX}{@code <topic>}); the topics a join reads must then
 * agree, as Kafka Streams requires of co-partitioned topics.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public class TopologyTestDriver implements Closeable {
    /** How many partitions every topic has (Weir's; Kafka's driver has one). */
    public static final String PARTITIONS_CONFIG = "weir.test.driver.partitions";

    /**
     * The prefix of a per-topic partition count, {@code weir.test.driver.partitions.<topic>=n} (Weir's), overriding
     * {@link #PARTITIONS_CONFIG} for that topic. The topics a join reads must have equal counts, or the driver throws
     * a {@link TopologyException} naming them, as Kafka Streams does at rebalance; a repartition topic takes the
     * count of the topics it is joined with. A sub-topology runs one task per partition of its largest source topic.
     */
    public static final String TOPIC_PARTITIONS_PREFIX = PARTITIONS_CONFIG + ".";

    /** A record a sink wrote. */
    record Produced(int partition, byte[] key, byte[] value, List<Header> headers, long timestamp) {}

    private final InternalTopologyBuilder topology;
    private final StreamsConfig config;
    private final MockTime time;
    private final int partitions;
    /** Partition counts by run-time topic name: the source topics' and the per-topic settings'; others have {@link #partitions}. */
    private final Map<String, Integer> topicPartitions;

    private final Map<TaskId, StreamTask> tasks = new LinkedHashMap<>();
    /** The global stores, which every task reads; kept by {@link #globalTask}. */
    private final GlobalStores globalStores = new GlobalStores();
    /** The task keeping the global stores, or null if the topology has none. */
    private final StreamTask globalTask;

    private final Map<String, List<Integer>> partitionSizes = new HashMap<>();
    private final Map<String, Deque<Produced>> unread = new HashMap<>();
    private final Set<String> produced = new LinkedHashSet<>();
    private final Deque<Runnable> internalQueue = new ArrayDeque<>();
    private final Map<String, Integer> roundRobin = new HashMap<>();
    private final Path stateDir;
    private boolean closed;

    public TopologyTestDriver(Topology topology) {
        this(topology, new Properties());
    }

    public TopologyTestDriver(Topology topology, Properties config) {
        this(topology, config, Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    /**
     * @throws TopologyException if the topology has no source
     * @throws io.weir.common.errors.InvalidConfigurationException for a bad setting
     */
    public TopologyTestDriver(Topology topology, Properties config, Instant initialWallClockTime) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test-driver");
        props.putAll(config);
        try {
            this.stateDir = Files.createTempDirectory("weir-test-driver-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the test driver's state directory", e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.config = new StreamsConfig(props);
        this.topology = topology.internalBuilder();
        this.topology.setApplicationId(this.config.applicationId());
        this.time = new MockTime(initialWallClockTime.toEpochMilli());
        Object configured = props.get(PARTITIONS_CONFIG);
        this.partitions =
                configured == null ? 1 : Integer.parseInt(configured.toString().trim());
        if (partitions < 1) {
            throw new IllegalArgumentException(PARTITIONS_CONFIG + "=" + partitions + " must be at least 1");
        }
        if (!this.topology.hasSources()) {
            throw new TopologyException("the topology has no source, so nothing can be piped into it");
        }
        this.topicPartitions = topicPartitions(props, partitions, this.topology);
        RecordCollector collector = new RecordCollector() {
            @Override
            public void send(
                    String topic,
                    Integer partition,
                    byte[] key,
                    byte[] value,
                    List<Header> headers,
                    long timestamp,
                    String sinkName) {
                collect(topic, partition, key, value, headers, timestamp);
            }

            @Override
            public int partitionCount(String topic) {
                return partitionsOf(topic);
            }
        };
        int subtopologies = this.topology.subtopologies().size();
        for (int s = 0; s < subtopologies; s++) {
            int taskCount = this.topology.readsPattern(s) ? partitions : 0;
            for (String topic : this.topology.sourceTopics(s)) {
                taskCount = Math.max(taskCount, partitionsOf(topic));
            }
            for (String topic : topicPartitions.keySet()) {
                if (this.topology.subtopologyReading(topic) == s) {
                    taskCount = Math.max(taskCount, partitionsOf(topic));
                }
            }
            for (int p = 0; p < taskCount; p++) {
                TaskId id = new TaskId(s, p);
                StreamTask task = new StreamTask(id, this.topology, this.config, collector, time, globalStores);
                tasks.put(id, task);
            }
        }
        this.globalTask =
                this.topology.globalStores().isEmpty() ? null : StreamTask.global(this.topology, this.config, time);
        try {
            if (globalTask != null) {
                globalTask.initialize();
                globalStores.publish(globalTask.stores());
            }
            for (StreamTask task : tasks.values()) {
                task.initialize();
            }
        } catch (RuntimeException e) {
            closeTasks();
            deleteStateDir();
            throw e;
        }
    }

    /**
     * The partition count of every topic that has one of its own: the per-topic settings, then each co-partitioned
     * repartition topic's group count.
     *
     * @throws TopologyException if a join's topics have different counts
     */
    private static Map<String, Integer> topicPartitions(
            Properties props, int partitions, InternalTopologyBuilder topology) {
        Map<String, Integer> counts = new HashMap<>();
        for (Map.Entry<Object, Object> setting : props.entrySet()) {
            String key = setting.getKey().toString();
            if (key.startsWith(TOPIC_PARTITIONS_PREFIX)) {
                String topic = key.substring(TOPIC_PARTITIONS_PREFIX.length());
                int count = Integer.parseInt(setting.getValue().toString().trim());
                if (count < 1) {
                    throw new IllegalArgumentException(key + "=" + count + " must be at least 1");
                }
                counts.put(topic, count);
            }
        }
        topology.fixedPartitionCounts().forEach(counts::putIfAbsent);
        for (int s = 0; s < topology.subtopologies().size(); s++) {
            topology.sourceTopics(s).forEach(topic -> counts.putIfAbsent(topic, partitions));
        }
        return topology.ensureCopartitioning(counts);
    }

    private int partitionsOf(String topic) {
        return topicPartitions.getOrDefault(topic, partitions);
    }

    /** An input topic to pipe records into, starting at the wall clock's time with no auto-advance. */
    public final <K, V> TestInputTopic<K, V> createInputTopic(
            String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new TestInputTopic<>(
                this, topic, keySerializer, valueSerializer, Instant.ofEpochMilli(time.milliseconds()), Duration.ZERO);
    }

    /** An input topic whose records without a timestamp start at {@code startTimestamp} and move on by {@code autoAdvance}. */
    public final <K, V> TestInputTopic<K, V> createInputTopic(
            String topic,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            Instant startTimestamp,
            Duration autoAdvance) {
        return new TestInputTopic<>(this, topic, keySerializer, valueSerializer, startTimestamp, autoAdvance);
    }

    public final <K, V> TestOutputTopic<K, V> createOutputTopic(
            String topic, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new TestOutputTopic<>(this, topic, keyDeserializer, valueDeserializer);
    }

    /** Moves the wall clock on and fires the wall-clock punctuations that became due. */
    public void advanceWallClockTime(Duration advance) {
        ensureOpen();
        if (advance.isNegative()) {
            throw new IllegalArgumentException("The wall clock cannot move back by " + advance);
        }
        time.sleep(advance.toMillis());
        for (StreamTask task : tasks.values()) {
            task.punctuateWallClock();
            drain();
        }
        commit();
    }

    /**
     * As Kafka's driver does after every input: each record's results are committed before the next. Flushing the
     * stores' caches forwards their changes, which may write to topics the topology reads; those records run too,
     * and the stores they change are flushed in turn, until nothing moves.
     */
    private void commit() {
        do {
            for (StreamTask task : tasks.values()) {
                task.flushStores();
            }
        } while (drain());
        for (StreamTask task : tasks.values()) {
            task.commitStores();
            task.takeCommitRequest();
        }
    }

    /**
     * A key-value store of the topology. With one partition it is the task's store, writable; with several, a
     * read-only view over every partition's instance (each key lives in one of them), as interactive queries see it.
     * A global store is the global task's, as Kafka's driver gives it.
     *
     * @return the store, or null if no task has a key-value store of that name (as Kafka's driver answers)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <K, V> KeyValueStore<K, V> getKeyValueStore(String name) {
        KeyValueStore<K, ?> store = keyValueStore(name);
        if (store == null) {
            return null;
        }
        if (isTimestamped(name)) {
            return new TimestampedValuesView<>((KeyValueStore) store);
        }
        return (KeyValueStore<K, V>) store;
    }

    /**
     * A store whose values carry their timestamps (a DSL table's), as {@link #getKeyValueStore} gives it.
     *
     * @return the store, or null if no task has a timestamped store of that name (as Kafka's driver answers)
     */
    @SuppressWarnings("unchecked")
    public <K, V> KeyValueStore<K, ValueAndTimestamp<V>> getTimestampedKeyValueStore(String name) {
        ensureOpen();
        if (!isTimestamped(name)) {
            return null;
        }
        return (KeyValueStore<K, ValueAndTimestamp<V>>) (KeyValueStore<K, ?>) keyValueStore(name);
    }

    private boolean isTimestamped(String name) {
        return allTasks().stream().anyMatch(t -> t.store(name) instanceof TimestampedKeyValueStore<?, ?>);
    }

    /** The stream tasks, then the global task if any. */
    private List<StreamTask> allTasks() {
        List<StreamTask> all = new ArrayList<>(tasks.values());
        if (globalTask != null) {
            all.add(globalTask);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private <K, V> KeyValueStore<K, V> keyValueStore(String name) {
        ensureOpen();
        List<KeyValueStore<K, V>> instances = new ArrayList<>();
        for (StreamTask task : allTasks()) {
            if (task.store(name) instanceof KeyValueStore<?, ?> store) {
                instances.add((KeyValueStore<K, V>) store);
            }
        }
        if (instances.isEmpty()) {
            return null;
        }
        return instances.size() == 1 ? instances.get(0) : new PartitionedStoreView<>(name, instances);
    }

    /**
     * A window store of the topology, read-only, over every partition's instance, as the topology's thread sees it
     * (uncommitted writes included); a windowed aggregation's values without their timestamps. Kafka's driver
     * returns the writable store; here it is a read view, since several partitions may hold it.
     *
     * @return the store, or null if no task has a window store of that name
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <K, V> ReadOnlyWindowStore<K, V> getWindowStore(String name) {
        ensureOpen();
        List<ReadOnlyWindowStore<K, V>> instances = new ArrayList<>();
        for (StreamTask task : tasks.values()) {
            if (task.store(name) instanceof WindowStoreFacade<?, ?> store) {
                instances.add((ReadOnlyWindowStore) store.ownerView());
            }
        }
        return instances.isEmpty() ? null : new CompositeReadOnlyWindowStore<>(name, () -> instances);
    }

    /**
     * A session store of the topology, read-only, over every partition's instance, as {@link #getWindowStore}.
     *
     * @return the store, or null if no task has a session store of that name
     */
    @SuppressWarnings("unchecked")
    public <K, V> ReadOnlySessionStore<K, V> getSessionStore(String name) {
        ensureOpen();
        List<ReadOnlySessionStore<K, V>> instances = new ArrayList<>();
        for (StreamTask task : tasks.values()) {
            if (task.store(name) instanceof SessionStoreFacade<?, ?> store) {
                instances.add((ReadOnlySessionStore<K, V>) store.ownerView());
            }
        }
        return instances.isEmpty() ? null : new CompositeReadOnlySessionStore<>(name, () -> instances);
    }

    /**
     * Records the topology dropped for lateness (after their window closed) or for a null key or value in a
     * windowed aggregation, over every task: Kafka Streams' {@code dropped-records-total} task metric, summed.
     */
    public long droppedRecordsTotal() {
        ensureOpen();
        return tasks.values().stream().mapToLong(StreamTask::droppedRecords).sum();
    }

    /** The topics the topology has written to so far. */
    public final Set<String> producedTopicNames() {
        return Set.copyOf(produced);
    }

    /** The tasks the topology runs as, one per sub-topology and partition. */
    public final Set<TaskId> tasks() {
        return Set.copyOf(tasks.keySet());
    }

    void pipe(String topic, byte[] key, byte[] value, List<Header> headers, long timestamp) {
        ensureOpen();
        if (globalTask != null && globalTask.reads(topic)) {
            int partition = partitionFor(topic, key);
            applyGlobal(topic, partition, append(topic, partition), timestamp, key, value, headers);
            return;
        }
        int subtopology = topology.subtopologyReading(topic);
        if (subtopology < 0) {
            throw new IllegalArgumentException("Unknown topic: " + topic + "; the topology reads no such topic");
        }
        int partition = partitionFor(topic, key);
        long offset = append(topic, partition);
        tasks.get(new TaskId(subtopology, partition)).process(topic, partition, offset, timestamp, key, value, headers);
        drain();
        commit();
    }

    /**
     * Applies a record of a global topic to the global stores and commits them, as the global stream thread does
     * after each batch, so every task reads the update as soon as this returns.
     */
    private void applyGlobal(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        globalTask.process(topic, partition, offset, timestamp, key, value, headers);
        globalTask.flushStores();
        globalTask.commitStores();
    }

    /** Processes, in order, records written to topics the topology itself reads; whether there were any. */
    private boolean drain() {
        boolean any = false;
        while (!internalQueue.isEmpty()) {
            internalQueue.poll().run();
            any = true;
        }
        return any;
    }

    private void collect(String topic, Integer chosen, byte[] key, byte[] value, List<Header> headers, long timestamp) {
        int partition = chosen != null ? chosen : partitionFor(topic, key);
        long offset = append(topic, partition);
        produced.add(topic);
        unread.computeIfAbsent(topic, t -> new ArrayDeque<>())
                .add(new Produced(partition, key, value, headers, timestamp));
        if (globalTask != null && globalTask.reads(topic)) {
            internalQueue.add(() -> applyGlobal(topic, partition, offset, timestamp, key, value, headers));
            return;
        }
        int subtopology = topology.subtopologyReading(topic);
        if (subtopology >= 0) {
            StreamTask reader = tasks.get(new TaskId(subtopology, partition));
            internalQueue.add(() -> reader.process(topic, partition, offset, timestamp, key, value, headers));
        }
    }

    /** The default partitioner's choice: murmur2 of the key bytes, or round robin for records without a key. */
    private int partitionFor(String topic, byte[] key) {
        if (key == null) {
            int next = roundRobin.merge(topic, 1, Integer::sum) - 1;
            return next % partitionsOf(topic);
        }
        return Utils.toPositive(Utils.murmur2(key)) % partitionsOf(topic);
    }

    private long append(String topic, int partition) {
        List<Integer> sizes = partitionSizes.computeIfAbsent(
                topic, t -> new ArrayList<>(java.util.Collections.nCopies(partitionsOf(t), 0)));
        int offset = sizes.get(partition);
        sizes.set(partition, offset + 1);
        return offset;
    }

    Produced readOutput(String topic) {
        Deque<Produced> queue = unread.get(topic);
        return queue == null ? null : queue.poll();
    }

    long outputSize(String topic) {
        Deque<Produced> queue = unread.get(topic);
        return queue == null ? 0 : queue.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The test driver is closed");
        }
    }

    /** Closes every task's processors and stores, and removes the state directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = closeTasks();
        deleteStateDir();
        if (first != null) {
            throw first;
        }
    }

    private RuntimeException closeTasks() {
        RuntimeException first = null;
        globalStores.withdraw();
        for (StreamTask task : allTasks()) {
            try {
                task.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        return first;
    }

    private void deleteStateDir() {
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the test driver's state directory " + stateDir, e);
        }
    }
}
