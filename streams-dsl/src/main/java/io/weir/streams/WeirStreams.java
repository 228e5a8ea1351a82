package io.weir.streams;

import io.weir.clients.admin.Admin;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.producer.Producer;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.ByteArraySerializer;
import io.weir.common.serialization.Serializer;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import io.weir.common.utils.Utils;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.errors.StateStoreMigratedException;
import io.weir.streams.errors.StateStoreNotAvailableException;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.errors.StreamsNotStartedException;
import io.weir.streams.errors.StreamsUncaughtExceptionHandler;
import io.weir.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import io.weir.streams.errors.UnknownStateStoreException;
import io.weir.streams.internals.EmbeddedBrokers;
import io.weir.streams.processor.StateRestoreListener;
import io.weir.streams.processor.TaskId;
import io.weir.streams.processor.internals.GlobalStores;
import io.weir.streams.processor.internals.GlobalStreamThread;
import io.weir.streams.processor.internals.InternalTopicManager;
import io.weir.streams.processor.internals.InternalTopologyBuilder;
import io.weir.streams.processor.internals.StateDirectory;
import io.weir.streams.processor.internals.StreamTask;
import io.weir.streams.processor.internals.StreamThread;
import io.weir.streams.processor.internals.StreamsPartitionAssignor;
import io.weir.streams.state.HostInfo;
import io.weir.streams.state.internals.ManagedStore;
import io.weir.streams.state.internals.QueryViews;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Topology}, as Kafka Streams' {@code KafkaStreams}: stream threads share the application's tasks with
 * the other instances of the same {@code application.id} through a consumer group, write their results, changelogs
 * and offsets together under {@code processing.guarantee=exactly_once_v2}, and let other threads read the stores'
 * committed data through {@link #store}.
 *
 * <p><b>No servers.</b> Without {@code bootstrap.servers} the application opens an embedded broker on
 * {@code <state.dir>/broker} named {@value EmbeddedBrokers#DEFAULT_NAME}, reachable from the rest of the process as
 * {@code bootstrap.servers=embedded:weir}; with {@code bootstrap.servers=embedded:<name>} it joins the broker of that
 * name in this process, or opens it on its own {@code state.dir} if none is open. The broker opens in the
 * constructor, so input topics can be created and written before {@link #start}, and closes with the last
 * application using it. Its data survives a restart, and {@link #cleanUp} never touches it.
 *
 * <p><b>Life.</b> {@link State}: CREATED, then REBALANCING while threads wait for or restore their tasks, RUNNING,
 * and PENDING_SHUTDOWN and NOT_RUNNING on {@link #close}; a thread that dies with no handler or a handler that
 * answers {@code SHUTDOWN_CLIENT} takes the client through PENDING_ERROR to ERROR.
 *
 * <p><b>Identity.</b> The instance keeps a process id in {@code <state.dir>/<application.id>}; thread {@code n}'s
 * {@code transactional.id} and {@code group.instance.id} are {@code <application.id>-<process id>-<n>}. A restart on
 * the same {@code state.dir} therefore fences its predecessor's transaction at once and takes its place in the group
 * without waiting for a session to expire.
 *
 * <p>Thread-safe.
 */
public class WeirStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeirStreams.class);

    /** The client's life, with Kafka Streams' states and transitions. */
    public enum State {
        CREATED(1, 3),
        REBALANCING(2, 3, 5),
        RUNNING(1, 2, 3, 5),
        PENDING_SHUTDOWN(4),
        NOT_RUNNING,
        PENDING_ERROR(6),
        ERROR;

        private final Set<Integer> validTransitions = new HashSet<>();

        State(Integer... validTransitions) {
            this.validTransitions.addAll(List.of(validTransitions));
        }

        public boolean isRunningOrRebalancing() {
            return this == RUNNING || this == REBALANCING;
        }

        public boolean hasNotStarted() {
            return this == CREATED;
        }

        public boolean hasCompletedShutdown() {
            return this == NOT_RUNNING || this == ERROR;
        }

        public boolean isValidTransition(State newState) {
            return validTransitions.contains(newState.ordinal());
        }
    }

    /** Told of every change of {@link State}, on the thread that made it. */
    @FunctionalInterface
    public interface StateListener {
        void onChange(State newState, State oldState);
    }

    private final InternalTopologyBuilder builder;
    private final StreamsConfig config;
    private final Time time;
    private final EmbeddedBrokers.Lease broker;
    private final String bootstrapServers;
    private final List<StreamThread> threads = new CopyOnWriteArrayList<>();
    /** The global stores, once the global thread restored them; read by every task and by interactive queries. */
    private final GlobalStores globalStores = new GlobalStores();
    /** The global stream thread, if the topology has global stores. */
    private volatile GlobalStreamThread globalThread;

    private final Object stateLock = new Object();
    private volatile State state = State.CREATED;
    private volatile StateListener stateListener;
    private volatile StreamsUncaughtExceptionHandler uncaughtHandler;
    private volatile StateRestoreListener restoreListener = new StateRestoreListener() {};
    private StateDirectory stateDirectory;
    private Admin admin;
    private final StreamsPartitionAssignor.GroupState groupState;
    /** Partition counts of the topics the topology reads and keeps state in, known once started. */
    private volatile Map<String, Integer> partitionCounts = Map.of();

    private UUID processId;

    public WeirStreams(Topology topology, Properties props) {
        this(topology, new StreamsConfig(props), Time.SYSTEM);
    }

    public WeirStreams(Topology topology, Map<?, ?> props) {
        this(topology, new StreamsConfig(props), Time.SYSTEM);
    }

    /** With a clock of the caller's, for tests. */
    public WeirStreams(Topology topology, Properties props, Time time) {
        this(topology, new StreamsConfig(props), time);
    }

    private WeirStreams(Topology topology, StreamsConfig config, Time time) {
        this.config = config;
        this.time = time;
        this.builder = topology.internalBuilder();
        this.builder.setApplicationId(config.applicationId());
        HostInfo.buildFromEndpoint(config.applicationServer());
        this.groupState =
                new StreamsPartitionAssignor.GroupState(config.applicationServer(), builder::subtopologyReading);
        warnAboutGeneratedNames();
        List<String> servers = config.bootstrapServers();
        String embeddedName = servers.isEmpty()
                ? EmbeddedBrokers.DEFAULT_NAME
                : servers.size() == 1 && servers.get(0).startsWith(Transports.EMBEDDED_PREFIX)
                        ? servers.get(0).substring(Transports.EMBEDDED_PREFIX.length())
                        : null;
        this.broker = embeddedBroker(servers, embeddedName, config);
        this.bootstrapServers = broker != null ? broker.bootstrapServers() : String.join(",", servers);
    }

    /**
     * The share of an embedded broker this application holds: none for a network broker or one the user opened
     * (reachable but not opened by an application), the named one another application opened, or a new one on this
     * application's {@code <state.dir>/broker}.
     */
    private static EmbeddedBrokers.Lease embeddedBroker(List<String> servers, String name, StreamsConfig config) {
        if (name == null) {
            return null;
        }
        Path dataDir = config.stateDir().resolve("broker");
        if (servers.isEmpty()) {
            return EmbeddedBrokers.acquire(name, dataDir, config.brokerProps());
        }
        EmbeddedBrokers.Lease joined = EmbeddedBrokers.join(name);
        if (joined != null || EmbeddedBrokers.reachable(name)) {
            return joined;
        }
        return EmbeddedBrokers.acquire(name, dataDir, config.brokerProps());
    }

    /** Stores with generated names are warned about as they are built (MaterializedInternal); topics here. */
    private void warnAboutGeneratedNames() {
        for (String topic : builder.internalTopics()) {
            if (StateDirectory.isGenerated(
                    topic.substring(config.applicationId().length() + 1))) {
                LOG.warn(
                        "Internal topic {} has a generated name, which changes when the topology's shape does; "
                                + "name its operator (Grouped.as, Repartitioned.as, Joined.as) to keep its data",
                        topic);
            }
        }
    }

    /** The {@code bootstrap.servers} of the broker the application uses (an embedded one's is {@code embedded:<name>}). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public State state() {
        return state;
    }

    /** Sets the listener of state changes; only before {@link #start}. */
    public void setStateListener(StateListener listener) {
        requireCreated("setStateListener");
        this.stateListener = listener;
    }

    /** Sets what happens when a stream thread dies; only before {@link #start}. Default: shut this client down. */
    public void setUncaughtExceptionHandler(StreamsUncaughtExceptionHandler handler) {
        requireCreated("setUncaughtExceptionHandler");
        this.uncaughtHandler = handler;
    }

    /** Sets the listener of every store's restore progress; only before {@link #start}. */
    public void setGlobalStateRestoreListener(StateRestoreListener listener) {
        requireCreated("setGlobalStateRestoreListener");
        this.restoreListener = listener;
    }

    private void requireCreated(String call) {
        if (state != State.CREATED) {
            throw new IllegalStateException("Can only call " + call + " in state CREATED, not " + state);
        }
    }

    private boolean setState(State next) {
        return transition(null, next);
    }

    /**
     * Moves to {@code next} if that is a valid transition from the current state (and the current state is
     * {@code expected}, when given), then tells the listener, outside the lock.
     *
     * @return whether the state is {@code next} now because of this call, or already was (without {@code expected})
     */
    private boolean transition(State expected, State next) {
        State old;
        synchronized (stateLock) {
            old = state;
            if (expected != null && old != expected) {
                return false;
            }
            if (old == next) {
                return expected == null;
            }
            if (!old.isValidTransition(next)) {
                return false;
            }
            state = next;
            stateLock.notifyAll();
        }
        LOG.info("Application {} moved from {} to {}", config.applicationId(), old, next);
        StateListener listener = stateListener;
        if (listener != null) {
            listener.onChange(next, old);
        }
        return true;
    }

    /**
     * Starts the application: locks its state directory, checks the source topics and creates the internal ones,
     * then starts {@code num.stream.threads} threads.
     *
     * @throws IllegalStateException if already started
     * @throws StreamsException      if the state directory is locked by another instance, the names of its state
     *                               changed, or a topic is missing or mis-partitioned (the client is then in ERROR)
     */
    public void start() {
        if (!transition(State.CREATED, State.REBALANCING)) {
            throw new IllegalStateException("The application can only start once, from CREATED; it is " + state);
        }
        try {
            stateDirectory = StateDirectory.lock(config.stateDir(), config.applicationId());
            processId = stateDirectory.processId();
            stateDirectory.checkStateNames(stateNames(), config.acceptRenamedState());
            admin = Admin.create(adminProps());
            partitionCounts = Map.copyOf(new InternalTopicManager(admin, builder, config).prepare());
            if (!builder.globalStores().isEmpty() && !startGlobalThread()) {
                return; // closed while the global stores restored
            }
            if (builder.subtopologies().isEmpty()) {
                setState(State.RUNNING); // global stores only: no task, so no stream thread, as in Kafka Streams
                return;
            }
            for (int i = 1; i <= config.numStreamThreads(); i++) {
                StreamThread thread = newThread(i);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
        } catch (RuntimeException e) {
            setState(State.PENDING_ERROR);
            threads.forEach(StreamThread::discard);
            threads.clear();
            stopGlobalThread(Duration.ofSeconds(30));
            shutdownResources();
            setState(State.ERROR);
            throw e;
        }
    }

    /**
     * Starts the global stream thread and waits, as Kafka Streams' {@code start()} does, until it restored every global
     * store, so that no stream task reads a global table before it is whole; the client stays REBALANCING meanwhile.
     *
     * @return false if the client was closed during the restore
     * @throws StreamsException if the global thread failed to restore
     */
    private boolean startGlobalThread() {
        String threadName = config.clientIdPrefix() + "-GlobalStreamThread";
        Map<String, Object> props =
                config.clientProps(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX);
        props.putIfAbsent("max.poll.records", 1000);
        props.put("bootstrap.servers", bootstrapServers);
        props.remove("group.id");
        props.remove("group.instance.id");
        props.put("client.id", threadName + "-global-consumer");
        props.put("enable.auto.commit", false);
        props.put("isolation.level", config.exactlyOnce() ? "read_committed" : "read_uncommitted");
        Consumer<byte[], byte[]> consumer =
                Consumer.create(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        GlobalStreamThread thread = new GlobalStreamThread(
                threadName, builder, config, consumer, restoreListener, globalStores, this::onGlobalThreadDeath, time);
        synchronized (stateLock) {
            if (state != State.REBALANCING) {
                thread.discard();
                return false;
            }
            globalThread = thread;
            thread.start();
        }
        return thread.awaitStarted();
    }

    /**
     * The global thread died after it restored: as in Kafka Streams the client fails (a global thread cannot be
     * replaced: {@code REPLACE_THREAD} is taken as {@code SHUTDOWN_CLIENT}).
     */
    private void onGlobalThreadDeath(Throwable exception) {
        StreamThreadExceptionResponse response = respond(uncaughtHandler, exception);
        if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
            LOG.error("The global stream thread cannot be replaced; shutting the client down");
        }
        fail(response == StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
    }

    /** The handler's answer to {@code exception}; SHUTDOWN_CLIENT without a handler or if it fails. */
    private static StreamThreadExceptionResponse respond(StreamsUncaughtExceptionHandler handler, Throwable exception) {
        if (handler == null) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        try {
            return handler.handle(exception);
        } catch (RuntimeException e) {
            LOG.error("The uncaught exception handler failed; shutting the client down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
    }

    /** Takes the client through PENDING_ERROR to ERROR, on a thread of its own; once. */
    private void fail(boolean announce) {
        if (setState(State.PENDING_ERROR)) {
            // The embedded broker stays open until close(): the process's other clients may still use it.
            Thread closer = new Thread(
                    () -> {
                        if (announce) {
                            announceApplicationShutdown();
                        }
                        shutdownThreads(Duration.ofSeconds(30), true);
                        releaseLocalResources();
                        setState(State.ERROR);
                    },
                    config.clientIdPrefix() + "-CloseThread");
            closer.setDaemon(true);
            closer.start();
        }
    }

    /** Stops the global thread, after the stream threads that read its stores; whether it stopped in time. */
    private boolean stopGlobalThread(Duration timeout) {
        GlobalStreamThread thread = globalThread;
        if (thread == null || thread == Thread.currentThread()) {
            return true;
        }
        thread.shutdown();
        try {
            thread.join(Math.max(1, nanos(timeout) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /**
     * Each store instance's share of {@code statestore.cache.max.bytes}: the bound divided among every store
     * instance the topology has (a store per task of its sub-topology), so the instances one client hosts never
     * exceed it together, however the tasks are spread.
     */
    private long cacheBytesPerStore() {
        InternalTopicManager counts = new InternalTopicManager(admin, builder, config);
        long instances = 0;
        for (int s = 0; s < builder.subtopologies().size(); s++) {
            instances += (long) builder.stores(s).size() * counts.taskCount(s, partitionCounts);
        }
        return instances == 0 ? 0 : config.cacheMaxBytes() / instances;
    }

    private Set<String> stateNames() {
        Set<String> names = new LinkedHashSet<>(builder.allStores().keySet());
        names.addAll(builder.globalStores().keySet());
        names.addAll(builder.internalTopics());
        return names;
    }

    private Map<String, Object> adminProps() {
        Map<String, Object> props = config.clientProps(StreamsConfig.ADMIN_CLIENT_PREFIX);
        props.put("bootstrap.servers", bootstrapServers);
        props.put("client.id", config.clientIdPrefix() + "-admin");
        return props;
    }

    private StreamThread newThread(int index) {
        String threadName = config.clientIdPrefix() + "-StreamThread-" + index;
        String identity = config.applicationId() + "-" + processId + "-" + index;
        Map<String, Object> consumer =
                config.clientProps(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX);
        consumer.putIfAbsent("max.poll.records", 1000);
        consumer.putIfAbsent("auto.offset.reset", "earliest");
        consumer.put("bootstrap.servers", bootstrapServers);
        consumer.put("group.id", config.applicationId());
        consumer.put("group.instance.id", identity);
        consumer.put("client.id", threadName + "-consumer");
        consumer.put("enable.auto.commit", false);
        consumer.put("partition.assignment.strategy", StreamsPartitionAssignor.class.getName());
        consumer.put(StreamsPartitionAssignor.GROUP_STATE_CONFIG, groupState);
        if (config.exactlyOnce()) {
            consumer.put("isolation.level", "read_committed");
        }
        Map<String, Object> restore =
                config.clientProps(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX);
        restore.putIfAbsent("max.poll.records", 10_000);
        restore.put("bootstrap.servers", bootstrapServers);
        restore.remove("group.id");
        restore.remove("group.instance.id");
        restore.put("client.id", threadName + "-restore-consumer");
        restore.put("enable.auto.commit", false);
        restore.put("isolation.level", "read_committed");
        Map<String, Object> producer = config.clientProps(StreamsConfig.PRODUCER_PREFIX);
        producer.putIfAbsent("linger.ms", 100);
        producer.put("bootstrap.servers", bootstrapServers);
        producer.put("client.id", threadName + "-producer");
        if (config.exactlyOnce()) {
            producer.put("enable.idempotence", true);
            producer.put("transactional.id", identity);
            producer.putIfAbsent("transaction.timeout.ms", 10_000);
        }
        Consumer<byte[], byte[]> mainConsumer =
                Consumer.create(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Consumer<byte[], byte[]> restoreConsumer;
        try {
            restoreConsumer = Consumer.create(restore, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            mainConsumer.close(Duration.ZERO);
            throw e;
        }
        StreamThread.Clients clients = new StreamThread.Clients(
                admin,
                mainConsumer,
                restoreConsumer,
                () -> Producer.create(producer, new ByteArraySerializer(), new ByteArraySerializer()),
                threadName + "-consumer",
                threadName + "-restore-consumer",
                threadName + "-producer");
        return new StreamThread(
                threadName,
                builder,
                config,
                stateDirectory,
                clients,
                restoreListener,
                groupState,
                cacheBytesPerStore(),
                globalStores,
                new ThreadEvents(),
                time);
    }

    /**
     * Starts a new thread with the dead one's index, unless the client is no longer running (checked under the state
     * lock, which close() takes before it stops the threads, so a replacement is never left running).
     *
     * @return false if no replacement started: the client then shuts down as for SHUTDOWN_CLIENT
     */
    private boolean replace(StreamThread dead) {
        synchronized (stateLock) {
            if (!state.isRunningOrRebalancing()) {
                return false;
            }
            LOG.warn("Replacing stream thread {}", dead.getName());
            try {
                StreamThread replacement = newThread(threadIndex(dead));
                threads.set(threads.indexOf(dead), replacement);
                replacement.start();
                return true;
            } catch (RuntimeException e) {
                LOG.error("Could not replace stream thread {}: {}", dead.getName(), e.toString());
                return false;
            }
        }
    }

    private static int threadIndex(StreamThread thread) {
        String name = thread.getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private final class ThreadEvents implements StreamThread.Listener {
        @Override
        public void onStateChange(StreamThread thread, StreamThread.State newState, StreamThread.State oldState) {
            synchronized (stateLock) {
                decideRunningOrRebalancing();
            }
        }

        /** REBALANCING while a thread is, RUNNING once every live thread runs. Under the state lock. */
        private void decideRunningOrRebalancing() {
            if (!state.isRunningOrRebalancing()) {
                return;
            }
            boolean rebalancing = false;
            boolean anyRunning = false;
            boolean allRunning = true;
            for (StreamThread t : threads) {
                StreamThread.State s = t.state();
                rebalancing |= s.isRebalancing() || s == StreamThread.State.CREATED;
                anyRunning |= s == StreamThread.State.RUNNING;
                allRunning &= s == StreamThread.State.RUNNING || s == StreamThread.State.DEAD;
            }
            allRunning &= anyRunning;
            if (rebalancing) {
                setState(State.REBALANCING);
            } else if (allRunning) {
                setState(State.RUNNING);
            }
        }

        @Override
        public void onDeath(StreamThread thread, Throwable exception) {
            StreamThreadExceptionResponse response = respond(
                    exception instanceof StreamThread.ApplicationShutdownException ? null : uncaughtHandler, exception);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD && replace(thread)) {
                return;
            }
            fail(response == StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
        }
    }

    /**
     * How {@link #close(CloseOptions)} stops the application, as Kafka Streams' {@code KafkaStreams.CloseOptions}:
     * how long to wait, and whether its threads leave the group. By default they stay in it (their
     * {@code group.instance.id} is stable), so a restart of this instance takes its tasks back without a
     * rebalance; leaving moves them to the other instances at once, for an instance that is not coming back.
     */
    public static final class CloseOptions {
        private Duration timeout = Duration.ofDays(365);
        private boolean leaveGroup;

        public CloseOptions timeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("The close timeout must not be negative: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public CloseOptions leaveGroup(boolean leaveGroup) {
            this.leaveGroup = leaveGroup;
            return this;
        }
    }

    /** Closes the application and waits for it, without a limit. */
    @Override
    public void close() {
        close(new CloseOptions());
    }

    /**
     * Stops every thread (each commits its tasks first), closes the stores and releases the state directory and the
     * embedded broker.
     *
     * @return whether everything stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        return close(new CloseOptions().timeout(timeout));
    }

    /** As {@link #close(Duration)}, with the threads leaving the group if {@code options} say so. */
    public boolean close(CloseOptions options) {
        Duration timeout = options.timeout;
        if (transition(State.CREATED, State.PENDING_SHUTDOWN)) {
            shutdownResources();
            setState(State.NOT_RUNNING);
            return true;
        }
        if (!setState(State.PENDING_SHUTDOWN)) {
            // Already shutting down, or failing: wait for the end either way, then let the broker go.
            boolean stopped = waitForEnd(timeout);
            if (state == State.ERROR) {
                releaseBroker();
            }
            return stopped;
        }
        if (shutdownThreads(timeout, options.leaveGroup)) {
            shutdownResources();
            setState(State.NOT_RUNNING);
            return true;
        }
        // Threads still running past the timeout: release their resources only once they stopped.
        Thread closer = new Thread(
                () -> {
                    shutdownThreads(Duration.ofDays(365), options.leaveGroup);
                    shutdownResources();
                    setState(State.NOT_RUNNING);
                },
                config.clientIdPrefix() + "-CloseThread");
        closer.setDaemon(true);
        closer.start();
        return false;
    }

    /** Waits for NOT_RUNNING or ERROR. */
    private boolean waitForEnd(Duration timeout) {
        long deadline = System.nanoTime() + nanos(timeout);
        synchronized (stateLock) {
            while (!state.hasCompletedShutdown()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    stateLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code timeout} in nanoseconds, capped so that adding it to {@code System.nanoTime()} cannot overflow. */
    private static long nanos(Duration timeout) {
        return timeout.compareTo(Duration.ofDays(365)) > 0
                ? Duration.ofDays(365).toNanos()
                : timeout.toNanos();
    }

    private boolean shutdownThreads(Duration timeout, boolean leaveGroup) {
        threads.forEach(t -> t.shutdown(leaveGroup));
        long deadline = System.nanoTime() + nanos(timeout);
        boolean all = true;
        for (StreamThread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            all &= !thread.isAlive();
        }
        // The global stores close last: the stream tasks read them until they closed.
        return stopGlobalThread(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) && all;
    }

    private void shutdownResources() {
        releaseLocalResources();
        releaseBroker();
    }

    /** Releases the admin client and the state directory's lock. */
    private synchronized void releaseLocalResources() {
        if (admin != null) {
            try {
                admin.close();
            } catch (RuntimeException e) {
                LOG.warn("Could not close the admin client: {}", e.toString());
            }
            admin = null;
        }
        if (stateDirectory != null) {
            try {
                stateDirectory.close();
            } catch (RuntimeException e) {
                LOG.warn("Could not release the state directory: {}", e.toString());
            }
            stateDirectory = null;
        }
    }

    /** Gives up this application's share of the embedded broker it opened or joined; idempotent. */
    private void releaseBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Deletes this instance's local stores (every task directory), so they restore in full from their changelogs at
     * the next start. Never touches the broker's topics. Only while the application does not run.
     *
     * @throws IllegalStateException if it runs
     */
    public void cleanUp() {
        if (state.isRunningOrRebalancing() || state == State.PENDING_SHUTDOWN || state == State.PENDING_ERROR) {
            throw new IllegalStateException("Cannot clean up while the application is " + state + "; close it first");
        }
        try (StateDirectory directory = StateDirectory.lock(config.stateDir(), config.applicationId())) {
            directory.cleanUp();
        }
    }

    /**
     * A read-only view of a store, over every local task's partition of it (or one partition, if the parameters name
     * it). Each partition is read from one snapshot of its task's last commit: never a partial commit, never an
     * aborted write. Partitions owned by different threads may reflect different commits. The view looks the tasks
     * up on each call, so it stays usable across rebalances; a call while a partition is restoring or moving throws
     * {@link StateStoreMigratedException}, which may be retried.
     *
     * @throws StreamsNotStartedException     before {@link #start}
     * @throws StateStoreNotAvailableException once the application is shutting down or failed
     * @throws UnknownStateStoreException     if the topology has no store of that name
     * @throws InvalidStateStoreException     if the store is of another type than asked for
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T store(StoreQueryParameters<T> parameters) {
        String name = parameters.storeName();
        checkQueryable(name);
        ManagedStore sample = null;
        List<ManagedStore> now = localStores(name, parameters.partition());
        if (!now.isEmpty()) {
            sample = now.get(0);
            if (QueryViews.view(sample, parameters.queryableStoreType()) == null) {
                throw new InvalidStateStoreException("Store " + name + " cannot be queried as "
                        + parameters.queryableStoreType().getClass().getSimpleName());
            }
        }
        return (T) QueryViews.composite(name, parameters.queryableStoreType(), () -> {
            checkQueryable(name);
            List<ManagedStore> stores = localStores(name, parameters.partition());
            if (stores.isEmpty()) {
                throw new StateStoreMigratedException("Store " + name
                        + (parameters.partition() == null ? "" : " partition " + parameters.partition())
                        + " is not hosted by this instance right now (it is restoring, rebalancing, or on another "
                        + "instance); retry, or find it with the metadata calls");
            }
            List<Object> views = new ArrayList<>();
            for (ManagedStore store : stores) {
                Object view = QueryViews.view(store, parameters.queryableStoreType());
                if (view == null) {
                    throw new InvalidStateStoreException("Store " + name + " cannot be queried as "
                            + parameters.queryableStoreType().getClass().getSimpleName());
                }
                views.add(view);
            }
            return views;
        });
    }

    private void checkQueryable(String name) {
        State s = state;
        if (s == State.CREATED) {
            throw new StreamsNotStartedException(
                    "Application " + config.applicationId() + " is not started; start it before querying " + name);
        }
        if (!s.isRunningOrRebalancing()) {
            throw new StateStoreNotAvailableException(
                    "Application " + config.applicationId() + " is " + s + "; its stores cannot be queried");
        }
        if (!builder.allStores().containsKey(name) && !builder.globalStores().containsKey(name)) {
            Set<String> known = new LinkedHashSet<>(builder.allStores().keySet());
            known.addAll(builder.globalStores().keySet());
            throw new UnknownStateStoreException(
                    "Application " + config.applicationId() + " has no store named " + name + "; its stores: " + known);
        }
    }

    private List<ManagedStore> localStores(String name, Integer partition) {
        List<ManagedStore> stores = new ArrayList<>();
        if (builder.globalStores().containsKey(name)) {
            // Every instance holds the whole of a global store; it has no partitions of its own to choose from.
            ManagedStore global = globalStores.store(name);
            if (global != null) {
                stores.add(global);
            }
            return stores;
        }
        for (StreamThread thread : threads) {
            for (Map.Entry<TaskId, StreamTask> entry : thread.queryableTasks().entrySet()) {
                if (partition != null && entry.getKey().partition() != partition) {
                    continue;
                }
                ManagedStore store = entry.getValue().store(name);
                if (store != null) {
                    stores.add(store);
                }
            }
        }
        return stores;
    }

    /**
     * Asks every instance of the application to shut down, as {@code SHUTDOWN_APPLICATION} does: a short-lived
     * member joins the group with the request in its subscription, so the rebalance it starts hands the request to
     * every member, whose threads then stop. Best effort: waits at most 30 s for the rebalance.
     */
    private void announceApplicationShutdown() {
        groupState.requestShutdown();
        Map<String, Object> props =
                config.clientProps(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX);
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", config.applicationId());
        props.remove("group.instance.id");
        props.put("client.id", config.clientIdPrefix() + "-shutdown-request");
        props.put("enable.auto.commit", false);
        props.put("partition.assignment.strategy", StreamsPartitionAssignor.class.getName());
        props.put(StreamsPartitionAssignor.GROUP_STATE_CONFIG, groupState);
        Set<String> topics = new HashSet<>();
        for (int s = 0; s < builder.subtopologies().size(); s++) {
            topics.addAll(builder.sourceTopics(s));
        }
        try (Consumer<byte[], byte[]> announcer =
                Consumer.create(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            announcer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!groupState.shutdownReceived() && System.nanoTime() < deadline) {
                announcer.poll(Duration.ofMillis(100));
            }
            announcer.close(io.weir.clients.consumer.CloseOptions.groupMembershipOperation(
                    io.weir.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            LOG.error("Could not ask the other instances of {} to shut down: {}", config.applicationId(), e.toString());
        }
    }

    /**
     * Every instance of the application with an {@code application.server}, as the group's last assignment
     * describes it: its endpoint, the stores of the tasks it holds, and its input partitions.
     */
    public Collection<StreamsMetadata> metadataForAllStreamsClients() {
        List<StreamsMetadata> out = new ArrayList<>();
        groupState
                .partitionsByEndpoint()
                .forEach((endpoint, partitions) -> out.add(
                        new StreamsMetadata(HostInfo.buildFromEndpoint(endpoint), storesOf(partitions), partitions)));
        return out;
    }

    /** The instances hosting a partition of {@code storeName}, as {@link #metadataForAllStreamsClients()}. */
    public Collection<StreamsMetadata> streamsMetadataForStore(String storeName) {
        List<StreamsMetadata> out = new ArrayList<>();
        for (StreamsMetadata instance : metadataForAllStreamsClients()) {
            if (instance.stateStoreNames().contains(storeName)) {
                out.add(instance);
            }
        }
        return out;
    }

    /**
     * Which instance hosts {@code key} of {@code storeName}, and in which partition: the partition is the one the
     * default partitioner gives the serialized key among the partitions of the store's input topics; the instance is
     * the one the last assignment gave that partition ({@link HostInfo#unavailable()} if none with an
     * {@code application.server} holds it).
     *
     * @throws UnknownStateStoreException if the topology has no such store
     * @throws StreamsNotStartedException before {@link #start}
     */
    public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
        if (builder.globalStores().containsKey(storeName)) {
            // Every instance holds a global store whole: this one answers, as Kafka Streams' does.
            if (state == State.CREATED) {
                throw new StreamsNotStartedException("Application " + config.applicationId() + " is not started");
            }
            return new KeyQueryMetadata(HostInfo.buildFromEndpoint(config.applicationServer()), Set.of(), -1);
        }
        int subtopology = subtopologyOf(storeName);
        if (state == State.CREATED) {
            throw new StreamsNotStartedException("Application " + config.applicationId() + " is not started");
        }
        Set<String> sources = builder.sourceTopics(subtopology);
        int partitions = 0;
        String topic = null;
        for (String source : sources) {
            int count = partitionCounts.getOrDefault(source, 0);
            if (count > partitions) {
                partitions = count;
                topic = source;
            }
        }
        if (topic == null) {
            return KeyQueryMetadata.NOT_AVAILABLE;
        }
        int partition = Utils.toPositive(Utils.murmur2(keySerializer.serialize(topic, key))) % partitions;
        for (Map.Entry<String, Set<TopicPartition>> e :
                groupState.partitionsByEndpoint().entrySet()) {
            for (String source : sources) {
                if (e.getValue().contains(new TopicPartition(source, partition))) {
                    return new KeyQueryMetadata(HostInfo.buildFromEndpoint(e.getKey()), Set.of(), partition);
                }
            }
        }
        return new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), partition);
    }

    private int subtopologyOf(String storeName) {
        for (int s = 0; s < builder.subtopologies().size(); s++) {
            for (var store : builder.stores(s)) {
                if (store.name().equals(storeName)) {
                    return s;
                }
            }
        }
        throw new UnknownStateStoreException("Application " + config.applicationId() + " has no store named "
                + storeName + "; its stores: " + builder.allStores().keySet());
    }

    /** The global stores and the stores of the tasks that read {@code partitions}. */
    private Set<String> storesOf(Set<TopicPartition> partitions) {
        Set<String> stores = new LinkedHashSet<>(builder.globalStores().keySet()); // on every instance
        for (TopicPartition tp : partitions) {
            int s = builder.subtopologyReading(tp.topic());
            if (s >= 0) {
                builder.stores(s).forEach(store -> stores.add(store.name()));
            }
        }
        return stores;
    }

    /** Every local thread, its state and its tasks. */
    public Set<ThreadMetadata> metadataForLocalThreads() {
        Set<ThreadMetadata> out = new HashSet<>();
        for (StreamThread thread : threads) {
            out.add(thread.metadata());
        }
        return out;
    }

    /**
     * How many changelog records this instance's restores replayed since it started, over all threads (the global
     * thread's restore of the global stores included).
     */
    public long restoredRecords() {
        GlobalStreamThread global = globalThread;
        long total = global == null ? 0 : global.restoredRecords();
        for (StreamThread thread : threads) {
            total += thread.restoredRecords();
        }
        return total;
    }
}
