package io.weir.streams.processor.internals;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.record.Header;
import io.weir.common.utils.Time;
import io.weir.streams.StreamsConfig;
import io.weir.streams.errors.DeserializationExceptionHandler;
import io.weir.streams.errors.ProcessingExceptionHandler;
import io.weir.streams.errors.ProductionExceptionHandler;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.Cancellable;
import io.weir.streams.processor.PunctuationType;
import io.weir.streams.processor.Punctuator;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.TaskId;
import io.weir.streams.processor.TimestampExtractor;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.internals.ManagedStore;
import io.weir.streams.state.internals.StoreContext;
import io.weir.streams.state.internals.StoreFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sub-topology's work on one partition: it deserializes input records, runs them through its processors,
 * keeps stream time (the largest timestamp seen) and fires punctuations. Single-threaded: every call comes
 * from the thread that owns the task.
 *
 * <p>Punctuations follow Kafka's rules: a stream-time schedule is aligned to 0 and fires with the first record,
 * a wall-clock one first fires one interval after it was made; each fires once however late it is, then its next
 * time skips the intervals it missed. The punctuator is given the current time, not the due time.
 */
public final class StreamTask {
    private static final Logger LOG = LoggerFactory.getLogger(StreamTask.class);

    private final TaskId id;
    /** How messages name the task: {@code Task 0_1}, or {@code The global task}. */
    private final String label;
    /** The stores of the global task, null for a stream task. */
    private final List<StoreFactory> globalFactories;
    /** The instance's global stores, read-only, for a stream task's processors; null if none. */
    private final GlobalStores globalStores;

    private final InternalTopologyBuilder builder;
    private final StreamsConfig config;
    private final ProcessorTopology topology;
    private final Map<String, ManagedStore> stores = new LinkedHashMap<>();
    private final DeserializationExceptionHandler deserializationHandler;
    private final ProcessingExceptionHandler processingHandler;
    private final ProductionExceptionHandler productionHandler;
    private final ProcessorContextImpl context;
    private final Time time;
    private final RecordCollector collector;
    private final Set<TopicPartition> inputPartitions;
    private final long cacheBytesPerStore;
    private final PriorityQueue<Schedule> streamTimeSchedules = new PriorityQueue<>();
    private final PriorityQueue<Schedule> wallClockSchedules = new PriorityQueue<>();
    private long streamTime = -1L;
    private volatile long droppedRecords;
    /** Per input partition, the largest timestamp extracted so far: the partition time extractors are given. */
    private final Map<TopicPartition, long[]> partitionTimes = new HashMap<>();

    private String lastTimeTopic;
    private int lastTimePartition;
    private long[] lastTimeCell;

    private final TimestampExtractor defaultTimestampExtractor;
    private boolean commitRequested;
    private long sequence;
    private boolean closed;
    private boolean processorsClosed;

    private static final class Schedule implements Comparable<Schedule>, Cancellable {
        final ProcessorNode node;
        final long intervalMs;
        final Punctuator punctuator;
        final long order;
        long dueMs;
        boolean cancelled;

        Schedule(ProcessorNode node, long dueMs, long intervalMs, Punctuator punctuator, long order) {
            this.node = node;
            this.dueMs = dueMs;
            this.intervalMs = intervalMs;
            this.punctuator = punctuator;
            this.order = order;
        }

        @Override
        public int compareTo(Schedule other) {
            int byDue = Long.compare(dueMs, other.dueMs);
            return byDue != 0 ? byDue : Long.compare(order, other.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** Kafka's {@code PunctuationSchedule.next}: one interval on, or past every interval missed by {@code now}. */
        void advance(long now) {
            long next = dueMs + intervalMs;
            if (now >= next) {
                next = dueMs + ((now - dueMs) / intervalMs + 1) * intervalMs;
            }
            dueMs = next;
        }
    }

    public StreamTask(
            TaskId id, InternalTopologyBuilder builder, StreamsConfig config, RecordCollector collector, Time time) {
        this(id, builder, config, collector, time, Set.of(), -1L, null, false);
    }

    /**
     * A task of the runtime, reading {@code inputPartitions}, each of whose stores may cache
     * {@code cacheBytesPerStore} (-1: an equal share of {@code statestore.cache.max.bytes} among the task's stores).
     */
    StreamTask(
            TaskId id,
            InternalTopologyBuilder builder,
            StreamsConfig config,
            RecordCollector collector,
            Time time,
            Collection<TopicPartition> inputPartitions,
            long cacheBytesPerStore,
            GlobalStores globalStores) {
        this(id, builder, config, collector, time, inputPartitions, cacheBytesPerStore, globalStores, false);
    }

    /** A stream task of the test driver that reads {@code globalStores}. */
    public StreamTask(
            TaskId id,
            InternalTopologyBuilder builder,
            StreamsConfig config,
            RecordCollector collector,
            Time time,
            GlobalStores globalStores) {
        this(id, builder, config, collector, time, Set.of(), -1L, globalStores, false);
    }

    /**
     * The global task: the global sources and processors, which keep the global stores under
     * {@code <state.dir>/<application.id>/global}; driven by the global stream thread (or the test driver), writing
     * to no topic.
     */
    public static StreamTask global(InternalTopologyBuilder builder, StreamsConfig config, Time time) {
        RecordCollector none = new RecordCollector() {
            @Override
            public void send(
                    String topic,
                    Integer partition,
                    byte[] key,
                    byte[] value,
                    java.util.List<io.weir.common.record.Header> headers,
                    long timestamp,
                    String sinkName) {
                throw new StreamsException("A global store's processor forwarded a record to sink " + sinkName
                        + "; a global processor may only write its store");
            }

            @Override
            public int partitionCount(String topic) {
                throw new StreamsException("A global store's processor has no sink topic (asked for " + topic + ")");
            }
        };
        return new StreamTask(null, builder, config, none, time, Set.of(), 0L, null, true);
    }

    private StreamTask(
            TaskId id,
            InternalTopologyBuilder builder,
            StreamsConfig config,
            RecordCollector collector,
            Time time,
            Collection<TopicPartition> inputPartitions,
            long cacheBytesPerStore,
            GlobalStores globalStores,
            boolean global) {
        this.inputPartitions = Set.copyOf(inputPartitions);
        this.cacheBytesPerStore = cacheBytesPerStore;
        this.id = id;
        this.label = global ? "The global task" : "Task " + id;
        this.globalFactories = global ? List.copyOf(builder.globalStores().values()) : null;
        this.globalStores = globalStores;
        this.builder = builder;
        this.config = config;
        this.topology = global ? builder.instantiateGlobal() : builder.instantiate(id.subtopology());
        this.deserializationHandler = config.deserializationExceptionHandler();
        this.defaultTimestampExtractor = config.defaultTimestampExtractor();
        this.processingHandler = config.processingExceptionHandler();
        this.productionHandler = config.productionExceptionHandler();
        this.time = time;
        this.context = new ProcessorContextImpl(config, id, collector, time, this);
        this.collector = collector;
    }

    /** The directory of the global stores under {@code <state.dir>/<application.id>}, as Kafka Streams names it. */
    public static final String GLOBAL_DIRECTORY = "global";

    /** Kafka Streams' name of a store's changelog topic: {@code <application.id>-<store>-changelog}. */
    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    public TaskId id() {
        return id;
    }

    /**
     * Opens the task's stores, then initialises every processor, sources first: for the test driver, whose stores
     * need no restore.
     */
    public void initialize() {
        openStores();
        initProcessors();
    }

    /** Opens the task's stores under {@code <state.dir>/<application.id>/<task>}. */
    public void openStores() {
        List<StoreFactory> factories = globalFactories != null ? globalFactories : builder.stores(id.subtopology());
        Path taskDirectory = config.stateDir()
                .resolve(config.applicationId())
                .resolve(globalFactories != null ? GLOBAL_DIRECTORY : id.toString());
        Map<String, String> globalTopics = builder.globalTopics();
        long cacheShare = cacheBytesPerStore >= 0
                ? cacheBytesPerStore
                : factories.isEmpty() ? 0 : config.cacheMaxBytes() / factories.size();
        for (StoreFactory factory : factories) {
            // A global store's changelog is its source topic, which its serdes are told; it logs nothing itself.
            String changelogTopic = globalFactories != null
                    ? globalTopics.get(factory.name())
                    : changelogTopic(config.applicationId(), factory.name());
            StoreContext storeContext = new StoreContext(
                    taskDirectory,
                    changelogTopic,
                    factory.loggingEnabled() && globalFactories == null
                            ? collector.changelog(changelogTopic, id.partition())
                            : null,
                    context::keySerde,
                    context::valueSerde,
                    cacheShare,
                    time);
            try {
                stores.put(factory.name(), factory.open(storeContext));
            } catch (RuntimeException e) {
                closeStores();
                throw new StreamsException(
                        label + " could not open store " + factory.name() + " in " + taskDirectory + ": " + e, e);
            }
        }
    }

    /**
     * Initialises every processor, sources first: after the stores restored, as Kafka Streams does, so that
     * {@code init} sees the state. A failure closes the stores.
     */
    public void initProcessors() {
        for (ProcessorNode node : topology.nodes()) {
            context.setCurrentNode(node);
            try {
                node.init(context);
            } catch (RuntimeException e) {
                closeStores();
                throw new StreamsException(label + ": processor " + node.name() + " failed to initialise: " + e, e);
            } finally {
                context.setCurrentNode(null);
            }
        }
    }

    /** The input partitions of a runtime task; empty in the test driver. */
    public Set<TopicPartition> inputPartitions() {
        return inputPartitions;
    }

    /** Whether this task reads {@code topic}. */
    public boolean reads(String topic) {
        return topology.source(topic) != null;
    }

    /**
     * Runs one input record through the topology, then fires the stream-time punctuations it made due.
     *
     * @throws StreamsException naming the task, processor, topic, partition and offset if deserialization or a
     *         processor fails
     */
    public void process(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        ensureOpen();
        ProcessorNode source = topology.source(topic);
        if (source == null) {
            throw new IllegalArgumentException(label + " reads no topic " + topic);
        }
        SourceProcessor deserializers = (SourceProcessor) source.processorForSource();
        Object k;
        Object v;
        try {
            k = deserializers.deserializeKey(topic, key);
            v = deserializers.deserializeValue(topic, value);
        } catch (RuntimeException e) {
            HandlerContext where = new HandlerContext(topic, partition, offset, headers, source.name(), id, timestamp);
            ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(
                    topic,
                    partition,
                    offset,
                    timestamp,
                    ConsumerRecord.TimestampType.CREATE_TIME,
                    key == null ? -1 : key.length,
                    value == null ? -1 : value.length,
                    key,
                    value,
                    headers);
            if (respond(() -> deserializationHandler.handle(where, raw, e), "deserialization")
                    == DeserializationExceptionHandler.DeserializationHandlerResponse.CONTINUE) {
                return;
            }
            throw new StreamsException(
                    label + " could not deserialize the record at offset " + offset + " of " + topic + "-" + partition
                            + " in source " + source.name() + ": " + e.getMessage(),
                    e);
        }
        long extracted =
                extractTimestamp(deserializers, topic, partition, offset, timestamp, k, v, key, value, headers);
        if (extracted < 0) {
            LOG.warn(
                    "Task {} dropped the record at offset {} of {}-{}: its extracted timestamp {} is negative",
                    id,
                    offset,
                    topic,
                    partition,
                    extracted);
            droppedRecords++;
            return;
        }
        timestamp = extracted;
        streamTime = Math.max(streamTime, timestamp);
        context.setOrigin(new ProcessorContextImpl.Origin(topic, partition, offset, timestamp, headers));
        context.setCurrentNode(source);
        try {
            source.process(new Record<>(k, v, timestamp, headers));
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(source, new ProcessorContextImpl.Origin(topic, partition, offset, timestamp, headers), e);
        } finally {
            context.setCurrentNode(null);
            context.setOrigin(null);
        }
        punctuate(streamTimeSchedules, streamTime);
    }

    /**
     * The record's timestamp by its source's extractor (or {@code default.timestamp.extractor}), given its partition's
     * time, which a valid result then advances.
     */
    private long extractTimestamp(
            SourceProcessor source,
            String topic,
            int partition,
            long offset,
            long timestamp,
            Object k,
            Object v,
            byte[] key,
            byte[] value,
            List<Header> headers) {
        TimestampExtractor extractor =
                source.timestampExtractor() != null ? source.timestampExtractor() : defaultTimestampExtractor;
        long[] time = partitionTime(topic, partition);
        long partitionTime = time[0];
        long extracted = extractor.extract(
                new ConsumerRecord<>(
                        topic,
                        partition,
                        offset,
                        timestamp,
                        ConsumerRecord.TimestampType.CREATE_TIME,
                        key == null ? -1 : key.length,
                        value == null ? -1 : value.length,
                        k,
                        v,
                        headers),
                partitionTime);
        if (extracted > partitionTime) {
            time[0] = extracted;
        }
        return extracted;
    }

    /** The cell holding {@code topic}-{@code partition}'s partition time (-1 before its first record). */
    private long[] partitionTime(String topic, int partition) {
        // Records come in runs of one partition, whose topic is the same String: check the last cell first.
        if (topic == lastTimeTopic && partition == lastTimePartition) {
            return lastTimeCell;
        }
        long[] cell = partitionTimes.computeIfAbsent(new TopicPartition(topic, partition), tp -> new long[] {-1});
        lastTimeTopic = topic;
        lastTimePartition = partition;
        lastTimeCell = cell;
        return cell;
    }

    /** Fires the wall-clock punctuations due at the clock's current time; whether any fired. */
    public boolean punctuateWallClock() {
        ensureOpen();
        return punctuate(wallClockSchedules, time.milliseconds());
    }

    private boolean punctuate(PriorityQueue<Schedule> schedules, long now) {
        if (schedules.isEmpty() || schedules.peek().dueMs > now) {
            return false; // the common case, after every record: nothing due
        }
        boolean fired = false;
        List<Schedule> ran = new ArrayList<>();
        while (!schedules.isEmpty() && schedules.peek().dueMs <= now) {
            Schedule s = schedules.poll();
            if (s.cancelled) {
                continue;
            }
            context.setCurrentNode(s.node);
            try {
                s.punctuator.punctuate(now);
            } catch (StreamsException e) {
                throw e;
            } catch (RuntimeException e) {
                if (!continueAfter(s.node, null, null, e)) {
                    throw new StreamsException(
                            "Exception in task " + id + ", punctuation of processor " + s.node.name() + " at " + now
                                    + ": " + e,
                            e);
                }
            } finally {
                context.setCurrentNode(null);
            }
            fired = true;
            s.advance(now);
            ran.add(s);
        }
        for (Schedule s : ran) {
            if (!s.cancelled) {
                schedules.add(s);
            }
        }
        return fired;
    }

    /**
     * Asks {@code processing.exception.handler} about a processor's exception: true to drop the record at that
     * processor and go on, false to fail the task.
     */
    boolean continueAfter(
            ProcessorNode node, ProcessorContextImpl.Origin origin, Record<?, ?> record, RuntimeException cause) {
        HandlerContext where = origin == null
                ? new HandlerContext(null, -1, -1L, List.of(), node.name(), id, -1L)
                : new HandlerContext(
                        origin.topic(),
                        origin.partition(),
                        origin.offset(),
                        origin.headers(),
                        node.name(),
                        id,
                        origin.timestamp());
        return respond(() -> processingHandler.handle(where, record, cause), "processing")
                == ProcessingExceptionHandler.ProcessingHandlerResponse.CONTINUE;
    }

    /** Asks {@code production.exception.handler} about a result the sink could not serialize: true to drop it. */
    boolean continueAfterSerialization(
            ProcessorNode sink,
            ProcessorContextImpl.Origin origin,
            ProducerRecord<?, ?> result,
            RuntimeException cause,
            ProductionExceptionHandler.SerializationExceptionOrigin part) {
        HandlerContext where = origin == null
                ? new HandlerContext(null, -1, -1L, List.of(), sink.name(), id, -1L)
                : new HandlerContext(
                        origin.topic(),
                        origin.partition(),
                        origin.offset(),
                        origin.headers(),
                        sink.name(),
                        id,
                        origin.timestamp());
        return respond(() -> productionHandler.handleSerializationException(where, result, cause, part), "production")
                == ProductionExceptionHandler.ProductionExceptionHandlerResponse.CONTINUE;
    }

    /** A handler's answer; a handler that throws or answers nothing fails the task. */
    private <R> R respond(java.util.function.Supplier<R> handler, String kind) {
        R response;
        try {
            response = handler.get();
        } catch (RuntimeException e) {
            throw new StreamsException(label + ": the " + kind + " exception handler failed: " + e, e);
        }
        if (response == null) {
            throw new StreamsException(label + ": the " + kind + " exception handler returned no response");
        }
        return response;
    }

    /** A processor's failure, named after the task, the processor and the input record (or the punctuation). */
    StreamsException failure(ProcessorNode node, ProcessorContextImpl.Origin origin, RuntimeException cause) {
        String where = origin == null
                ? "in a punctuation"
                : "processing the record at offset " + origin.offset() + " of " + origin.topic() + "-"
                        + origin.partition();
        return new StreamsException(
                "Exception in task " + id + ", processor " + node.name() + ", " + where + ": " + cause, cause);
    }

    Cancellable schedule(ProcessorNode node, Duration interval, PunctuationType type, Punctuator callback) {
        Objects.requireNonNull(callback, "callback");
        long intervalMs = interval.toMillis();
        if (intervalMs < 1) {
            throw new IllegalArgumentException(
                    "Punctuation interval " + interval + " of processor " + node.name() + " is shorter than 1 ms");
        }
        Schedule s =
                switch (type) {
                    case STREAM_TIME -> new Schedule(node, 0L, intervalMs, callback, sequence++);
                    case WALL_CLOCK_TIME -> new Schedule(
                            node, time.milliseconds() + intervalMs, intervalMs, callback, sequence++);
                };
        (type == PunctuationType.STREAM_TIME ? streamTimeSchedules : wallClockSchedules).add(s);
        return s;
    }

    /**
     * The store {@code name}, for processor {@code node}.
     *
     * @throws StreamsException if the processor is not connected to it
     */
    StateStore store(ProcessorNode node, String name) {
        ManagedStore store = stores.get(name);
        if (store != null && node != null && globalFactories != null) {
            return store; // a global processor keeps its own store
        }
        if (store == null && node != null && globalStores != null) {
            StateStore global = globalStores.readOnly(name);
            if (global != null) {
                return global; // every processor may read a global store, as in Kafka Streams
            }
        }
        if (store == null || node == null || !builder.isConnected(node.name(), name)) {
            throw new StreamsException(
                    "Processor " + (node == null ? "(none)" : node.name()) + " of task " + id + " has no access to "
                            + "store " + name
                            + (store == null ? ", which this task does not have" : "; connect it to the processor")
                            + " (the task's stores: " + stores.keySet() + ")");
        }
        return store;
    }

    /** Makes the stores' writes so far durable and visible to interactive queries. */
    public void commitStores() {
        ensureOpen();
        for (ManagedStore store : stores.values()) {
            store.commit();
        }
    }

    /** The task's stores, in the order they were opened. */
    public java.util.Collection<ManagedStore> stores() {
        return java.util.Collections.unmodifiableCollection(stores.values());
    }

    /** Writes every store's cached updates down, sending them to the changelogs. */
    public void flushStores() {
        ensureOpen();
        for (ManagedStore store : stores.values()) {
            store.flush();
        }
    }

    /** The task's store named {@code name}, or null: for the test driver and interactive queries. */
    public ManagedStore store(String name) {
        return stores.get(name);
    }

    long streamTime() {
        return streamTime;
    }

    /**
     * Records that arrived after their window closed (or otherwise too late to count) and were dropped: Kafka Streams'
     * task metric {@code dropped-records-total}. Read by the test driver and the application; written by this task's
     * thread only.
     */
    public long droppedRecords() {
        return droppedRecords;
    }

    void recordDropped() {
        droppedRecords++;
    }

    void requestCommit() {
        commitRequested = true;
    }

    /** Whether a processor asked for a commit since the last call; clears the request. */
    public boolean takeCommitRequest() {
        boolean requested = commitRequested;
        commitRequested = false;
        return requested;
    }

    /**
     * Closes every processor, once: before a clean shutdown's last commit, so that what processors write or send as
     * they close is committed with it.
     *
     * @throws StreamsException naming the first processor that failed to close (the others are closed anyway)
     */
    public void closeProcessors() {
        if (processorsClosed) {
            return;
        }
        processorsClosed = true;
        RuntimeException first = null;
        for (ProcessorNode node : topology.nodes()) {
            context.setCurrentNode(node);
            try {
                node.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = new StreamsException(label + ": processor " + node.name() + " failed to close: " + e, e);
                }
            } finally {
                context.setCurrentNode(null);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Closes every processor and store (dropping store writes not committed); idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try {
            closeProcessors();
        } catch (RuntimeException e) {
            first = e;
        }
        RuntimeException storeFailure = closeStores();
        if (first == null) {
            first = storeFailure;
        }
        if (first != null) {
            throw first;
        }
    }

    private RuntimeException closeStores() {
        RuntimeException first = null;
        for (ManagedStore store : stores.values()) {
            try {
                store.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = new StreamsException(label + ": store " + store.name() + " failed to close: " + e, e);
                }
            }
        }
        stores.clear();
        return first;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(label + " is closed");
        }
    }
}
