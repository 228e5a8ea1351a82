package io.weir.streams.processor.internals;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.RecordsToDelete;
import io.weir.clients.consumer.CloseOptions;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.RebalanceInProgressException;
import io.weir.common.errors.WakeupException;
import io.weir.common.utils.Time;
import io.weir.streams.StreamsConfig;
import io.weir.streams.TaskMetadata;
import io.weir.streams.ThreadMetadata;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.StateRestoreListener;
import io.weir.streams.processor.TaskId;
import io.weir.streams.state.internals.ManagedStore;
import io.weir.streams.state.internals.StoreFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream thread: a group consumer whose assigned partitions decide the thread's tasks, one producer (transactional
 * under exactly-once) that all its tasks write through, and a restore consumer. Its loop polls, runs each fetched
 * record through its task, fires wall-clock punctuations, and commits every {@code commit.interval.ms}.
 *
 * <p><b>The commit.</b> (1) Every store's cache is flushed, so its changes are sent to its changelog; (2) the broker
 * commit: under exactly-once the consumed offsets join the producer's transaction and it commits, under
 * at-least-once the producer is flushed and the offsets committed; (3) each store commits its LMDB transaction with
 * the offset of the last changelog record it wrote. A crash before (2) aborts the transaction and leaves every store
 * at its previous checkpoint; a crash between (2) and (3) leaves a store behind the changelog, which the restore
 * replays from its checkpoint; so no state is lost or applied twice, and no restore starts from the changelog's
 * beginning unless the store has no checkpoint. Every transaction carries the offsets of every input partition the
 * thread has read, so the group checks its generation even when only punctuations wrote.
 *
 * <p><b>Rebalances.</b> Partitions are assigned eagerly. On revocation the thread commits and closes every task; on
 * assignment it creates the tasks of its new partitions: it opens their stores, restores them from their
 * checkpoints (cheap after a commit: nothing to replay), then initialises their processors. Closing at revocation
 * means a task moving to another thread of the same instance finds its stores unlocked, and a task is never reused
 * from a generation in which another member may have written its changelog.
 *
 * <p><b>Losing the producer.</b> A fenced producer or one whose transaction the broker timed out (its epoch moved
 * on) ends the transaction's work: the tasks close without committing, a new producer takes the same
 * {@code transactional.id}, and the tasks of the current assignment are created again from their last commit. A
 * commit refused because the group moved on closes the tasks the same way; the rejoin that follows creates them.
 *
 * <p><b>Threading.</b> Everything here runs on the thread itself, except {@link #shutdown}, {@link #state},
 * {@link #queryableTasks} and {@link #metadata}, which other threads call.
 */
public final class StreamThread extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThread.class);

    /** The thread's life, as Kafka Streams' {@code StreamThread.State}. */
    public enum State {
        CREATED,
        STARTING,
        PARTITIONS_REVOKED,
        PARTITIONS_ASSIGNED,
        RUNNING,
        PENDING_SHUTDOWN,
        DEAD;

        /** Whether the thread is taking part in a rebalance (its client is then REBALANCING). */
        public boolean isRebalancing() {
            return this == STARTING || this == PARTITIONS_REVOKED || this == PARTITIONS_ASSIGNED;
        }
    }

    /** What the thread tells its client. */
    public interface Listener {
        void onStateChange(StreamThread thread, State newState, State oldState);

        /** The thread died of {@code exception}; called on the thread, after it closed its tasks and clients. */
        void onDeath(StreamThread thread, Throwable exception);
    }

    /** The clients a thread uses; made by the client, closed by the thread. Producers come from the factory. */
    public record Clients(
            Admin admin,
            Consumer<byte[], byte[]> consumer,
            Consumer<byte[], byte[]> restoreConsumer,
            Supplier<Producer<byte[], byte[]>> producers,
            String consumerClientId,
            String restoreConsumerClientId,
            String producerClientId) {}

    /** Why a thread stops when another instance asked the whole application to shut down. */
    public static final class ApplicationShutdownException extends StreamsException {
        ApplicationShutdownException(String message) {
            super(message);
        }
    }

    /** A task with its input. */
    private record RunningTask(StreamTask task, TaskInputs inputs) {}

    /** A test-only hook into the commit sequence, see {@link CrashPoints}. */
    private final CrashPoints.Handler crashPoints;

    private final InternalTopologyBuilder builder;
    private final StreamsConfig config;
    private final StateDirectory stateDirectory;
    private final Clients clients;
    private final ChangelogRestorer restorer;
    private final Listener listener;
    private final StreamsPartitionAssignor.GroupState groupState;
    private final Time time;
    private final long cacheBytesPerStore;
    /** The instance's global stores, which every task's processors may read. */
    private final GlobalStores globalStores;

    private final boolean exactlyOnce;
    private final Map<TaskId, RunningTask> tasks = new LinkedHashMap<>();
    private final Map<TopicPartition, RunningTask> byPartition = new HashMap<>();
    private final Map<TaskId, StreamTask> queryable = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> purgeable = new HashMap<>();
    private Producer<byte[], byte[]> producer;
    private ProducerRecordCollector collector;
    private volatile State state = State.CREATED;
    private volatile boolean shutdownRequested;
    private volatile boolean leaveGroupOnClose;
    private volatile long restoredRecords;
    private long lastCommitMs;
    private long lastPurgeMs;

    public StreamThread(
            String name,
            InternalTopologyBuilder builder,
            StreamsConfig config,
            StateDirectory stateDirectory,
            Clients clients,
            StateRestoreListener restoreListener,
            StreamsPartitionAssignor.GroupState groupState,
            long cacheBytesPerStore,
            GlobalStores globalStores,
            Listener listener,
            Time time) {
        super(name);
        this.globalStores = globalStores;
        this.cacheBytesPerStore = cacheBytesPerStore;
        this.builder = builder;
        this.config = config;
        this.stateDirectory = stateDirectory;
        this.clients = clients;
        this.groupState = groupState;
        this.exactlyOnce = config.exactlyOnce();
        this.restorer = new ChangelogRestorer(clients.restoreConsumer(), clients.admin(), restoreListener, time);
        this.listener = listener;
        this.time = time;
        this.crashPoints = CrashPoints.from(config.originals());
    }

    public State state() {
        return state;
    }

    private synchronized void setState(State next) {
        State old = state;
        if (old == next || old == State.DEAD || (old == State.PENDING_SHUTDOWN && next != State.DEAD)) {
            return;
        }
        state = next;
        listener.onStateChange(this, next, old);
    }

    /**
     * Asks the thread to stop after its current step; it commits its tasks and closes its clients, its consumer
     * leaving the group if {@code leaveGroup} (a static member otherwise stays until its session expires).
     */
    public void shutdown(boolean leaveGroup) {
        leaveGroupOnClose = leaveGroup;
        shutdownRequested = true;
        setState(State.PENDING_SHUTDOWN);
        clients.consumer().wakeup();
    }

    /** Closes the clients of a thread that was never started (the client's start failed after making it). */
    public void discard() {
        try {
            clients.consumer().close(Duration.ZERO);
        } finally {
            clients.restoreConsumer().close(Duration.ZERO);
        }
    }

    /** How many changelog records this thread's restores replayed, in total. */
    public long restoredRecords() {
        return restoredRecords;
    }

    /** The tasks whose stores interactive queries may read: restored and running. */
    public Map<TaskId, StreamTask> queryableTasks() {
        return Map.copyOf(queryable);
    }

    /** The thread as {@code metadataForLocalThreads} reports it. */
    public ThreadMetadata metadata() {
        Set<TaskMetadata> active = new HashSet<>();
        for (StreamTask task : queryable.values()) {
            active.add(new TaskMetadata(task.id(), task.inputPartitions(), Map.of(), Map.of()));
        }
        return new ThreadMetadata(
                getName(),
                state.name(),
                active,
                Set.of(),
                clients.consumerClientId(),
                clients.restoreConsumerClientId(),
                Set.of(clients.producerClientId()),
                "");
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            setState(State.STARTING);
            newProducer();
            subscribe();
            lastCommitMs = time.milliseconds();
            while (!shutdownRequested && !groupState.shutdownReceived()) {
                runOnce();
            }
            closeProcessorsAndCommit();
            if (!shutdownRequested) {
                failure = new ApplicationShutdownException("Thread " + getName() + " stopped: an instance of "
                        + "application " + config.applicationId() + " asked every instance to shut down");
            }
        } catch (WakeupException e) {
            failure = shutdownRequested ? commitQuietly() : e;
        } catch (CrashPoints.Halt halt) {
            letGoAsKilled(halt);
            return;
        } catch (Throwable e) {
            failure = e;
        }
        boolean clean = failure == null || failure instanceof ApplicationShutdownException;
        if (!clean) {
            // A dead thread's place in the group is empty: leave, so the group rebalances without waiting for its
            // session to expire (a replacement joins under the same group.instance.id).
            leaveGroupOnClose = true;
        }
        failure = closeAll(clean, failure);
        setState(State.DEAD);
        if (failure instanceof ApplicationShutdownException) {
            LOG.warn(failure.getMessage());
            listener.onDeath(this, failure);
        } else if (failure != null) {
            LOG.error("Stream thread {} died", getName(), failure);
            listener.onDeath(this, failure);
        }
    }

    /**
     * After a {@link CrashPoints.Halt}: lets go of the stores and clients without writing anything a kill would not
     * have written (no abort, no store commit, no leave-group request), so another instance can take the same
     * {@code state.dir} and {@code transactional.id}. The thread dies as a killed process's would.
     */
    private void letGoAsKilled(CrashPoints.Halt halt) {
        LOG.warn("Thread {} stops as if killed: {}", getName(), halt.getMessage());
        closeTasks(); // drops every uncommitted store write
        try {
            clients.consumer().close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("Thread {} could not let its consumer go: {}", getName(), e.toString());
        }
        try {
            clients.restoreConsumer().close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("Thread {} could not let its restore consumer go: {}", getName(), e.toString());
        }
        if (producer != null) {
            try {
                producer.close(Duration.ZERO); // a forced close: batches not yet sent are dropped
            } catch (RuntimeException e) {
                LOG.debug("Thread {} could not let its producer go: {}", getName(), e.toString());
            }
        }
        setState(State.DEAD);
        listener.onDeath(this, halt);
    }

    private Throwable commitQuietly() {
        try {
            closeProcessorsAndCommit();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** A clean shutdown: processors close first, so that what they write as they close is in the last commit. */
    private void closeProcessorsAndCommit() {
        for (RunningTask running : tasks.values()) {
            running.task().closeProcessors();
        }
        commitAll();
    }

    /** A new producer, transactional under exactly-once, replacing the thread's current one if any. */
    private void newProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("Thread {} could not close its old producer: {}", getName(), e.toString());
            }
        }
        producer = clients.producers().get();
        if (exactlyOnce) {
            producer.initTransactions();
        }
        collector = new ProducerRecordCollector(producer, exactlyOnce, config.productionExceptionHandler(), time);
    }

    private void subscribe() {
        Rebalances rebalances = new Rebalances();
        Pattern pattern = builder.subscriptionPattern();
        if (pattern != null) {
            clients.consumer().subscribe(pattern, rebalances);
        } else {
            Set<String> topics = new HashSet<>();
            for (int s = 0; s < builder.subtopologies().size(); s++) {
                topics.addAll(builder.sourceTopics(s));
            }
            clients.consumer().subscribe(topics, rebalances);
        }
    }

    /** One turn of the loop: poll, process, punctuate, maybe commit; a lost producer restarts the tasks. */
    void runOnce() {
        try {
            pollAndProcess();
        } catch (RuntimeException e) {
            if (!producerLost(e)) {
                throw e;
            }
            LOG.warn(
                    "Thread {} lost its producer ({}); its tasks restart from their last commit",
                    getName(),
                    e.toString());
            closeTasksDirty();
            newProducer();
            recreateTasks();
        }
    }

    private void pollAndProcess() {
        ConsumerRecords<byte[], byte[]> records = clients.consumer().poll(Duration.ofMillis(config.pollMs()));
        if (groupState.shutdownReceived()) {
            return; // the rebalance that brought these records asks every instance to stop: process nothing more
        }
        if (state == State.PARTITIONS_ASSIGNED) {
            setState(State.RUNNING);
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            RunningTask owner = byPartition.get(partition);
            if (owner == null) {
                throw new IllegalStateException(
                        "Thread " + getName() + " fetched " + partition + ", which none of its tasks reads");
            }
            owner.inputs().add(partition, record);
        }
        boolean commitRequested = false;
        long now = time.milliseconds();
        for (RunningTask running : tasks.values()) {
            ConsumerRecord<byte[], byte[]> record;
            while ((record = running.inputs().next(now)) != null) {
                running.task()
                        .process(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.timestamp(),
                                record.key(),
                                record.value(),
                                record.headers());
            }
            running.task().punctuateWallClock();
            commitRequested |= running.task().takeCommitRequest();
        }
        if (commitRequested || time.milliseconds() - lastCommitMs >= config.commitIntervalMs()) {
            commitAll();
        }
    }

    /** Whether {@code e} (or a cause) says the producer's epoch moved on: fenced, or its transaction timed out. */
    private static boolean producerLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The commit sequence over every task (see the class comment). A failure of the broker commit because the group
     * moved on closes the tasks without committing, and the thread goes on; a lost producer is thrown to
     * {@link #runOnce}; any other failure is thrown.
     */
    void commitAll() {
        lastCommitMs = time.milliseconds();
        boolean consumed = false;
        for (RunningTask running : tasks.values()) {
            consumed |= running.inputs().hasUncommitted();
        }
        for (RunningTask running : tasks.values()) {
            running.task().flushStores();
        }
        if (!consumed && !collector.hasSent()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (RunningTask running : tasks.values()) {
            offsets.putAll(running.inputs().offsetsToCommit());
        }
        crashPoints.reached(CrashPoints.BEFORE_BROKER_COMMIT, getName());
        try {
            if (exactlyOnce) {
                collector.commitTransaction(offsets, clients.consumer().groupMetadata());
            } else {
                collector.flush();
                if (!offsets.isEmpty()) {
                    clients.consumer().commitSync(offsets);
                }
            }
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn(
                    "Thread {} could not commit, as the group rebalanced: {}; its tasks restart from the last commit",
                    getName(),
                    e.toString());
            closeTasksDirty();
            rejoinFromCommitted();
            return;
        }
        crashPoints.reached(CrashPoints.AFTER_BROKER_COMMIT, getName());
        for (RunningTask running : tasks.values()) {
            running.inputs().markCommitted();
            commitStores(running.task());
        }
        crashPoints.reached(CrashPoints.AFTER_STORE_COMMIT, getName());
        maybePurgeRepartitionTopics(offsets);
    }

    private void commitStores(StreamTask task) {
        Map<String, StoreFactory> factories = builder.allStores();
        for (ManagedStore store : task.stores()) {
            StoreFactory factory = factories.get(store.name());
            long offset = factory != null && factory.loggingEnabled()
                    ? collector.takeChangelogOffset(changelogPartition(task.id(), store.name()))
                    : -1L;
            if (offset >= 0) {
                store.commit(offset);
            } else {
                store.commit();
            }
        }
    }

    /**
     * Deletes the records of repartition topics that every task reading them has committed, at most every
     * {@code repartition.purge.interval.ms}, as Kafka Streams does, so those topics do not grow without end. The
     * request is sent without waiting; a failure only delays the purge to the next one.
     */
    private void maybePurgeRepartitionTopics(Map<TopicPartition, OffsetAndMetadata> committed) {
        Set<String> repartition = builder.internalTopics();
        committed.forEach((tp, offset) -> {
            if (repartition.contains(tp.topic())) {
                purgeable.put(tp, offset.offset());
            }
        });
        long now = time.milliseconds();
        if (purgeable.isEmpty() || now - lastPurgeMs < config.repartitionPurgeIntervalMs()) {
            return;
        }
        lastPurgeMs = now;
        Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
        purgeable.forEach((tp, offset) -> request.put(tp, RecordsToDelete.beforeOffset(offset)));
        purgeable.clear();
        clients.admin().deleteRecords(request).all().whenComplete((deleted, error) -> {
            if (error != null) {
                LOG.debug("Thread {} could not purge repartition records {}: {}", getName(), request, error.toString());
            }
        });
    }

    private TopicPartition changelogPartition(TaskId task, String store) {
        return new TopicPartition(StreamTask.changelogTopic(config.applicationId(), store), task.partition());
    }

    /** Closes every task without committing: uncommitted store writes are dropped, the transaction aborted. */
    private void closeTasksDirty() {
        try {
            collector.abortTransaction();
        } catch (RuntimeException e) {
            LOG.warn("Thread {} could not abort its transaction: {}", getName(), e.toString());
        }
        closeTasks();
    }

    /** Closes every task (its processors and stores); a store that fails to close is logged, not thrown. */
    private void closeTasks() {
        List<RunningTask> all = new ArrayList<>(tasks.values());
        tasks.clear();
        byPartition.clear();
        queryable.clear();
        for (RunningTask running : all) {
            try {
                running.task().close();
            } catch (RuntimeException e) {
                LOG.warn(
                        "Thread {} could not close task {}: {}",
                        getName(),
                        running.task().id(),
                        e.toString());
            }
        }
    }

    /**
     * After the tasks closed without committing outside a rebalance: every assigned partition goes back to its
     * committed offset, and its task is created again from its stores' checkpoints.
     */
    private void recreateTasks() {
        Set<TopicPartition> assigned = clients.consumer().assignment();
        seekToCommitted(assigned);
        createTasks(assigned);
    }

    /**
     * After the group refused a commit (it moved to a new generation, or forgot this member, as a restarted broker
     * does): the tasks closed without committing, so every assigned partition goes back to its committed offset, and
     * outside a rebalance the consumer rejoins at its next poll, whose assignment creates the tasks again. Without the
     * rejoin the consumer would learn of the new generation only at its next heartbeat and meanwhile fetch for
     * partitions that no task reads.
     */
    private void rejoinFromCommitted() {
        seekToCommitted(clients.consumer().assignment());
        if (state != State.PARTITIONS_REVOKED) {
            clients.consumer().enforceRebalance();
        }
    }

    private void seekToCommitted(Set<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> committed = clients.consumer().committed(assigned);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                clients.consumer().seek(tp, offset.offset());
            } else {
                fromStart.add(tp);
            }
        }
        if (!fromStart.isEmpty()) {
            clients.consumer().seekToBeginning(fromStart);
        }
    }

    private Throwable closeAll(boolean clean, Throwable failure) {
        if (clean) {
            for (RunningTask running : tasks.values()) {
                try {
                    running.task().close();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            tasks.clear();
            byPartition.clear();
            queryable.clear();
        } else if (collector != null) {
            closeTasksDirty();
        } else {
            closeTasks();
        }
        try {
            clients.consumer()
                    .close(CloseOptions.timeout(Duration.ofSeconds(5))
                            .withGroupMembershipOperation(
                                    leaveGroupOnClose
                                            ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                                            : CloseOptions.GroupMembershipOperation.DEFAULT));
        } catch (RuntimeException e) {
            LOG.warn("Thread {} could not close its consumer: {}", getName(), e.toString());
        }
        try {
            clients.restoreConsumer().close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Thread {} could not close its restore consumer: {}", getName(), e.toString());
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Thread {} could not close its producer: {}", getName(), e.toString());
            }
        }
        return failure;
    }

    /** Creates, restores and starts the tasks of {@code partitions}, grouped by the sub-topology reading each. */
    private void createTasks(Collection<TopicPartition> partitions) {
        Map<TaskId, List<TopicPartition>> assigned = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            int subtopology = builder.subtopologyReading(partition.topic());
            if (subtopology >= 0) {
                assigned.computeIfAbsent(new TaskId(subtopology, partition.partition()), t -> new ArrayList<>())
                        .add(partition);
            }
        }
        for (Map.Entry<TaskId, List<TopicPartition>> entry : assigned.entrySet()) {
            RunningTask running = createTask(entry.getKey(), entry.getValue());
            tasks.put(entry.getKey(), running);
            for (TopicPartition partition : entry.getValue()) {
                byPartition.put(partition, running);
            }
            queryable.put(entry.getKey(), running.task());
        }
    }

    /**
     * Creates the task {@code id} reading {@code partitions}: opens its stores, restores them, then initialises its
     * processors. A store whose checkpoint the changelog cannot continue is wiped and restored in full.
     */
    private RunningTask createTask(TaskId id, Collection<TopicPartition> partitions) {
        StreamTask task = openAndRestore(id, partitions);
        if (task == null) {
            LOG.warn(
                    "Task {}: a store's checkpoint does not continue its changelog (deleted, recreated or truncated);"
                            + " wiping the task's stores and restoring them in full",
                    id);
            stateDirectory.deleteTaskDirectory(id);
            task = openAndRestore(id, partitions);
            if (task == null) {
                throw new StreamsException("Task " + id + " could not restore its stores even from empty");
            }
        }
        try {
            task.initProcessors();
        } catch (RuntimeException e) {
            task.close();
            throw e;
        }
        TaskInputs inputs =
                new TaskInputs(config.maxTaskIdleMs(), tp -> clients.consumer().currentLag(tp));
        partitions.forEach(inputs::addPartition);
        return new RunningTask(task, inputs);
    }

    /** The task with its stores open and restored, or null (its stores closed) if a checkpoint needs a wipe. */
    private StreamTask openAndRestore(TaskId id, Collection<TopicPartition> partitions) {
        StreamTask task =
                new StreamTask(id, builder, config, collector, time, partitions, cacheBytesPerStore, globalStores);
        task.openStores();
        try {
            Map<String, StoreFactory> factories = builder.allStores();
            for (ManagedStore store : task.stores()) {
                StoreFactory factory = factories.get(store.name());
                if (factory == null || !factory.loggingEnabled()) {
                    continue;
                }
                TopicPartition changelog = changelogPartition(id, store.name());
                ChangelogRestorer.Restored restored = restorer.restore(store, changelog);
                if (restored == null) {
                    task.close();
                    return null;
                }
                restoredRecords += restored.records();
                LOG.info(
                        "Task {} restored store {} from {}: {} records, offsets {} to {}",
                        id,
                        store.name(),
                        changelog,
                        restored.records(),
                        restored.startOffset(),
                        restored.endOffset());
            }
            return task;
        } catch (RuntimeException e) {
            task.close();
            throw e;
        }
    }

    private final class Rebalances implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            LOG.info("Thread {} gives up {} tasks", getName(), tasks.size());
            setState(State.PARTITIONS_REVOKED);
            if (tasks.isEmpty()) {
                return;
            }
            try {
                commitAll();
            } catch (RuntimeException e) {
                if (!producerLost(e)) {
                    throw e;
                }
                LOG.warn(
                        "Thread {} lost its producer as its partitions were revoked ({}); its tasks restart from "
                                + "their last commit",
                        getName(),
                        e.toString());
                closeTasksDirty();
                newProducer();
                return;
            }
            closeTasks();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            setState(State.PARTITIONS_ASSIGNED);
            createTasks(partitions);
            LOG.info("Thread {} runs tasks {}", getName(), tasks.keySet());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            setState(State.PARTITIONS_REVOKED);
            closeTasksDirty();
        }
    }
}
