package io.weir.broker;

import io.weir.broker.internals.ClusterIdFile;
import io.weir.broker.internals.FetchManager;
import io.weir.broker.internals.RequestHandler;
import io.weir.broker.internals.group.GroupCoordinator;
import io.weir.broker.internals.group.OffsetCoordinator;
import io.weir.broker.internals.group.OffsetsTopicStore;
import io.weir.broker.internals.group.TxnOffsetCommits;
import io.weir.broker.internals.log.FileChannelFactory;
import io.weir.broker.internals.log.LogFiles;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.txn.BrokerTransactionCoordinator;
import io.weir.broker.internals.txn.HangingTransactionAborter;
import io.weir.broker.internals.txn.ProducerIdManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.broker.network.internals.KafkaListener;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.transport.EmbeddedBrokerHandle;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * A broker running inside this JVM, on one data directory. Clients reach it through
 * {@link #bootstrapServers()} ({@code embedded:<name>}) set as their {@code bootstrap.servers}. The name is
 * {@code weir.embedded.name} when set, so clients can be configured before the broker opens, and
 * {@code broker-<node.id>-<n>} otherwise; one name serves one open broker in the JVM at a time.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.open(props)) {
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>Without {@code log.dirs} the broker uses a fresh temporary directory and removes it on close; with it,
 * a closed broker reopened on the same directory finds every topic and record it had. After a crash (no
 * {@link #close()}), the next open recovers each partition from its last recovery point.
 *
 * <p>If a write or sync of a file in the data directory fails, the directory goes offline (see
 * {@code LogDirFailureChannel}): the broker keeps running and answers every produce and fetch of its partitions
 * with KAFKA_STORAGE_ERROR, and {@link #close()} succeeds without the clean-shutdown marker, so the next open
 * recovers from what reached the disk.
 *
 * <p>Lifecycle: RUNNING after {@code open}, then CLOSED; {@code close()} is idempotent. Thread-safe.
 */
public final class EmbeddedBroker implements EmbeddedBrokerHandle {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long GROUP_TIMER_TICK_MS = 10;
    /** How long one request of a hanging-transaction search may take (Kafka's request.timeout.ms default). */
    private static final long HANGING_ABORT_CALL_TIMEOUT_MS = 30_000;

    private enum State {
        RUNNING,
        CLOSED
    }

    private final BrokerConfig config;
    private final Time time;
    private final Path dataDir;
    private final boolean temporaryDir;
    private final String name;
    private final String bootstrapServers;
    private final LogManager logManager;
    private final AppendRings rings;
    private final FetchManager fetchManager;
    private final ExecutorService fetchExecutor;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService fetchTimer;
    private final RequestHandler handler;
    private final ScheduledExecutorService groupTimer;
    private final GroupCoordinator groupCoordinator;
    /** The transaction coordinator's one thread: its requests, its timer and its write completions. */
    private final ScheduledExecutorService txnThread;

    private final BrokerTransactionCoordinator transactions;
    private final HangingTransactionAborter hangingAborter;
    /** The Kafka-protocol listener when {@code listeners} is set, else null. */
    private final KafkaListener listener;

    private volatile State state = State.RUNNING;

    private EmbeddedBroker(BrokerConfig config, Time time, FileChannelFactory channels) {
        this.time = time;
        this.name = config.embeddedName() != null
                ? config.embeddedName()
                : "broker-" + config.nodeId() + "-" + INSTANCES.incrementAndGet();
        // Before anything is opened: a second open of a running broker's configuration must fail on its name, not
        // on the data directory's lock, and must leave the directory untouched.
        Transports.ensureUnused(name);
        this.temporaryDir = config.logDir() == null;
        this.dataDir = temporaryDir ? createTempDir() : config.logDir();
        this.logManager = LogManager.open(
                dataDir,
                config.logDefaults(),
                new ProducerStateConfig(config.transactions().producerIdExpirationMs()),
                time,
                config.cleaner(),
                io.weir.broker.internals.log.CleanerHook.NONE,
                channels);
        // Kafka clients see the cluster id: it stays the same for a directory across restarts. Read with the
        // directory's lock held (the log manager took it).
        try {
            config = config.withClusterId(ClusterIdFile.loadOrCreate(
                    dataDir, config.clusterId(), config.clusterId().equals(BrokerConfig.DEFAULT_CLUSTER_ID)));
        } catch (RuntimeException e) {
            logManager.close();
            throw e;
        }
        this.config = config;
        java.util.concurrent.ScheduledThreadPoolExecutor maintenance =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("weir-scheduler"));
        // On close, skip delayed deletions of retired segments rather than wait file.delete.delay.ms for them:
        // the log manager's close deletes what waits.
        maintenance.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = maintenance;
        logManager.segmentDeleter().scheduleOn(maintenance);
        this.fetchExecutor = Executors.newFixedThreadPool(config.fetchThreads(), daemon("weir-fetch"));
        this.fetchTimer = Executors.newSingleThreadScheduledExecutor(daemon("weir-fetch-timer"));
        this.fetchManager = new FetchManager(logManager, fetchExecutor, fetchTimer);
        this.rings = new AppendRings(
                config.appendRings(),
                config.appendRingSize(),
                config.appendWaitStrategy(),
                config.flushPolicy(),
                fetchManager,
                time);
        this.groupTimer = Executors.newSingleThreadScheduledExecutor(daemon("weir-group-timer"));
        OffsetsTopicStore offsetsTopic = new OffsetsTopicStore(
                logManager,
                rings,
                config.groups().offsetsTopicPartitions(),
                config.groups().offsetsTopicSegmentBytes(),
                config.groups().offsetCommitTimeoutMs(),
                time);
        this.groupCoordinator =
                new GroupCoordinator(config.groups(), time, offsetsTopic, groupTimer, () -> UUID.randomUUID()
                        .toString());
        OffsetCoordinator offsetCoordinator = new OffsetCoordinator(groupCoordinator, this::partitionExists);
        TxnOffsetCommits txnOffsets = new TxnOffsetCommits(groupCoordinator, offsetCoordinator);
        this.txnThread = Executors.newSingleThreadScheduledExecutor(daemon("weir-txn-coordinator"));
        try {
            offsetsTopic.load(OffsetsTopicStore.sinkFor(offsetCoordinator, txnOffsets));
            ProducerIdManager producerIds = ProducerIdManager.open(dataDir, logManager.dirContext());
            // Offsets first: a transaction the coordinator finishes on load decides offsets loaded as pending.
            this.transactions = BrokerTransactionCoordinator.open(
                    config.transactions(),
                    logManager,
                    rings,
                    time,
                    producerIds,
                    txnOffsets,
                    this::partitionExists,
                    config.groups().offsetCommitTimeoutMs(),
                    txnThread);
            this.handler = new RequestHandler(
                    config,
                    logManager,
                    rings,
                    fetchManager,
                    this::ensureRunning,
                    fetchExecutor,
                    groupCoordinator,
                    offsetCoordinator,
                    producerIds,
                    transactions);
        } catch (RuntimeException e) {
            // Release the threads and the directory lock, so that a later open can try again.
            state = State.CLOSED;
            rings.close();
            for (ExecutorService executor : List.of(txnThread, groupTimer, scheduler, fetchTimer, fetchExecutor)) {
                executor.shutdownNow();
            }
            logManager.crash();
            throw e;
        }
        try {
            this.bootstrapServers = Transports.register(name, handler);
        } catch (InvalidConfigurationException taken) {
            // Another broker opened under the name since the check above: stop this one as close does.
            close();
            throw taken;
        }
        // The reports an administrator would gather, over this broker's own request interface; each call answers
        // in-process, so the wait bounds a stuck coordinator, not a network.
        this.hangingAborter = new HangingTransactionAborter(
                handler,
                config.transactions().maxTimeoutMs(),
                config.transactions().hangingAbortMs(),
                time,
                HANGING_ABORT_CALL_TIMEOUT_MS);
        scheduleMaintenance();
        logManager.startCleaner();
        KafkaListener started = null;
        if (config.listener().enabled()) {
            try {
                started = KafkaListener.start(config.listener(), handler, config.nodeId(), config.clusterId());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        this.listener = started;
    }

    /** Opens a broker with Kafka broker keys ({@code log.dirs}, {@code num.partitions}, ...). */
    public static EmbeddedBroker open(Properties properties) {
        return open(BrokerConfig.from(properties), Time.SYSTEM);
    }

    /** Opens a broker with Kafka broker keys given as a map, as {@code Transports.openEmbedded} passes them. */
    public static EmbeddedBroker open(Map<String, ?> properties) {
        return open(BrokerConfig.from(properties), Time.SYSTEM);
    }

    public static EmbeddedBroker open(BrokerConfig config) {
        return open(config, Time.SYSTEM);
    }

    /** Opens a broker whose retention, rolls and timestamps follow {@code time} (tests pass a manual clock). */
    public static EmbeddedBroker open(BrokerConfig config, Time time) {
        return new EmbeddedBroker(config, time, FileChannelFactory.SYSTEM);
    }

    /** A broker whose logs open every file through {@code channels}: tests inject failing disks with it. */
    static EmbeddedBroker open(BrokerConfig config, Time time, FileChannelFactory channels) {
        return new EmbeddedBroker(config, time, channels);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("weir-");
        } catch (IOException e) {
            throw new KafkaStorageException("Could not create a temporary data directory: " + e, e);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void scheduleMaintenance() {
        // Session, join-phase and sync-phase deadlines are checked here; 10 ms is far below any timeout a
        // member may ask for (group.min.session.timeout.ms), so expiry is late by at most that.
        groupTimer.scheduleWithFixedDelay(
                guarded(groupCoordinator::poll), GROUP_TIMER_TICK_MS, GROUP_TIMER_TICK_MS, TimeUnit.MILLISECONDS);
        // The coordinator itself spaces its scans (abort and expiry intervals); the tick bounds how late a
        // scan or a marker retry runs. It runs on the coordinator's own thread, as everything of it does.
        txnThread.scheduleWithFixedDelay(
                guarded(transactions::poll), GROUP_TIMER_TICK_MS, GROUP_TIMER_TICK_MS, TimeUnit.MILLISECONDS);
        if (config.transactions().hangingAbortMs() >= 0) {
            long interval = config.transactions().abortTimedOutIntervalMs();
            scheduler.scheduleWithFixedDelay(
                    guarded(this::abortHangingTransactions), interval, interval, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(
                guarded(this::runRetention),
                config.retentionCheckIntervalMs(),
                config.retentionCheckIntervalMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                guarded(logManager::removeExpiredProducers),
                config.transactions().producerIdExpirationCheckMs(),
                config.transactions().producerIdExpirationCheckMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                guarded(logManager::checkpointRecoveryPoints),
                config.recoveryPointCheckpointIntervalMs(),
                config.recoveryPointCheckpointIntervalMs(),
                TimeUnit.MILLISECONDS);
        if (config.flushIntervalBytes() != Long.MAX_VALUE) {
            long threshold = config.flushIntervalBytes();
            scheduler.scheduleWithFixedDelay(
                    guarded(() -> logManager.flushTails(threshold)),
                    config.flushSchedulerIntervalMs(),
                    config.flushSchedulerIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        if (config.flushPolicy() != io.weir.broker.FlushPolicy.OS
                && config.flushPolicy() != io.weir.broker.FlushPolicy.EVERY_BATCH) {
            // An idle partition gets no end-of-batch check, so the interval policy is also driven from here.
            scheduler.scheduleWithFixedDelay(
                    guarded(() -> logManager.logs().forEach(log -> {
                        if (!log.isOffline()) {
                            log.flushIfNeeded(config.flushPolicy());
                        }
                    })),
                    config.flushIntervalMs(),
                    config.flushIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            if (state != State.RUNNING) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; report and keep the schedule alive.
                LoggerFactory.getLogger(EmbeddedBroker.class).error("Broker maintenance task failed", e);
            }
        };
    }

    private boolean partitionExists(TopicPartition tp) {
        try {
            return tp.partition() >= 0
                    && tp.partition() < logManager.topicMetadata(tp.topic()).partitions();
        } catch (io.weir.common.errors.UnknownTopicOrPartitionException e) {
            return false;
        }
    }

    /**
     * Runs the log cleaner now, on the calling thread, until no compacted partition needs cleaning; returns
     * the number of passes. The cleaner's own threads ({@code log.cleaner.threads}) do the same every
     * {@code log.cleaner.backoff.ms}.
     */
    public int runLogCleaner() {
        return logManager.cleaner().cleanUntilClean();
    }

    /**
     * Applies retention now: deletes expired or excess segments of every partition (their files go after
     * {@code file.delete.delay.ms}). Runs on its own every {@code log.retention.check.interval.ms}.
     */
    public void runRetention() {
        logManager.runRetention();
    }

    /**
     * Syncs rolled segments and writes the recovery-point checkpoint now, as the broker does on its own every
     * {@code log.flush.offset.checkpoint.interval.ms} (tests).
     */
    void checkpointRecoveryPoints() {
        logManager.checkpointRecoveryPoints();
    }

    /**
     * Finds hanging transactions and aborts each with a marker, now: an open transaction on a partition whose
     * producer wrote nothing for longer than {@code transaction.max.timeout.ms} and that the coordinator does not
     * know (or does not hold the partition for), or, with {@code weir.transaction.hanging.abort.ms} >= 0, that
     * stayed open that much longer still. Runs on its own every
     * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} when that setting is >= 0.
     *
     * @return the transactions aborted
     */
    public List<AbortedTransaction> abortHangingTransactions() {
        ensureRunning();
        return hangingAborter.run();
    }

    private void ensureRunning() {
        if (state != State.RUNNING) {
            throw new IllegalClientStateException("Embedded broker " + name + " is closed");
        }
    }

    /**
     * The port the Kafka-protocol listener is bound to (the chosen one when {@code listeners} asked for port 0).
     *
     * @throws IllegalStateException the broker has no listener ({@code listeners} is unset)
     */
    public int boundPort() {
        return listenerAddress().getPort();
    }

    /**
     * The address the Kafka-protocol listener is bound to.
     *
     * @throws IllegalStateException the broker has no listener ({@code listeners} is unset)
     */
    public java.net.InetSocketAddress listenerAddress() {
        if (listener == null) {
            throw new IllegalStateException("Broker " + name + " has no network listener: set listeners, e.g."
                    + " listeners=PLAINTEXT://127.0.0.1:9092");
        }
        return listener.boundAddress();
    }

    /**
     * The {@code bootstrap.servers} value for a Kafka client reaching this broker over the network: the advertised
     * host and port.
     *
     * @throws IllegalStateException the broker has no listener ({@code listeners} is unset)
     */
    public String networkBootstrapServers() {
        listenerAddress();
        return listener.identity().host() + ":" + listener.identity().port();
    }

    /** The value for a client's {@code bootstrap.servers}. */
    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    public BrokerConfig config() {
        return config;
    }

    /** The broker's request interface, as the in-process transport gives it to clients. */
    public BrokerApi api() {
        return handler;
    }

    /** Whether this open found the clean-shutdown marker (false: it recovered from a crash or is new). */
    public boolean openedAfterCleanShutdown() {
        return logManager.hadCleanShutdown();
    }

    /**
     * Stops taking requests, finishes every queued append, completes waiting fetches, syncs and closes every
     * log and writes the clean-shutdown marker. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        stopServing();
        logManager.close();
        if (temporaryDir) {
            deleteQuietly(dataDir);
        }
    }

    /**
     * Stops like a crash would: queued appends are finished (they were acknowledged or are about to be) but
     * nothing is synced and no clean-shutdown marker is written, so the next open recovers. For tests.
     */
    public synchronized void crashForTesting() {
        if (state == State.CLOSED) {
            return;
        }
        stopServing();
        logManager.crash();
    }

    /**
     * Refuses new requests, drains the append rings, answers waiting fetches and lets running maintenance
     * finish. Nothing is interrupted: an interrupt during a {@code FileChannel} operation closes the channel.
     */
    private void stopServing() {
        state = State.CLOSED;
        if (listener != null) {
            // First: no network request may reach the broker while it drains.
            listener.close();
        }
        Transports.unregister(name, handler);
        rings.close();
        // After the rings drained, so every write completion is already handed over; waiting calls are answered.
        transactions.close();
        txnThread.shutdown();
        groupTimer.shutdown();
        scheduler.shutdown();
        fetchTimer.shutdown();
        fetchManager.completeAll();
        fetchExecutor.shutdown();
        awaitQuietly(txnThread);
        awaitQuietly(groupTimer);
        awaitQuietly(scheduler);
        awaitQuietly(fetchExecutor);
        fetchTimer.shutdownNow(); // only pending expiries, already answered by completeAll
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                LoggerFactory.getLogger(EmbeddedBroker.class).warn("A broker task did not finish within 60 s of close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            LogFiles.deleteRecursively(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
