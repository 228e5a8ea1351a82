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
import io.weir.common.errors.FencedInstanceIdException;
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
 * beginning unless the store has no checkpoint.
 *
 * <p><b>Rebalances.</b> Partitions are assigned eagerly: on revocation the thread commits every task and suspends
 * it; on assignment it closes the suspended tasks it did not get back and creates (and restores) the new ones. A
 * task it kept needs no restore. A commit that fails because the group moved on (or a lost assignment) closes the
 * tasks without committing: their stores drop what was not committed and restore on their next assignment.
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

    /** The clients a thread uses; made by the client, closed by the thread. */
    public record Clients(
            Admin admin,
            Consumer<byte[], byte[]> consumer,
            Consumer<byte[], byte[]> restoreConsumer,
            Producer<byte[], byte[]> producer,
            String consumerClientId,
            String restoreConsumerClientId,
            String producerClientId) {}

    /** A test-only hook into the commit sequence, see {@link CrashPoints}. */
    private final CrashPoints crashPoints;

    private final InternalTopologyBuilder builder;
    private final StreamsConfig config;
    private final StateDirectory stateDirectory;
    private final Clients clients;
    private final ProducerRecordCollector collector;
    private final ChangelogRestorer restorer;
    private final Listener listener;
    private final StreamsPartitionAssignor.GroupState groupState;
    private final Time time;
    private final boolean exactlyOnce;
    private final Map<TaskId, RunningTask> tasks = new LinkedHashMap<>();
    private final Map<TaskId, RunningTask> suspended = new LinkedHashMap<>();
    private final Map<TopicPartition, RunningTask> byPartition = new HashMap<>();
    private final Map<TaskId, StreamTask> queryable = new ConcurrentHashMap<>();
    private volatile State state = State.CREATED;
    private volatile boolean shutdownRequested;
    private volatile boolean leaveGroupOnClose;
    private long lastPurgeMs;
    private final Map<TopicPartition, Long> purgeable = new HashMap<>();
    private long lastCommitMs;
    private long restoredRecords;

    /** Why a thread stops when another instance asked the whole application to shut down. */
    public static final class ApplicationShutdownException extends StreamsException {
        ApplicationShutdownException(String message) {
            super(message);
        }
    }

    /** A task with its input. */
    private record RunningTask(StreamTask task, TaskInputs inputs) {}

    public StreamThread(
            String name,
            InternalTopologyBuilder builder,
            StreamsConfig config,
            StateDirectory stateDirectory,
            Clients clients,
            StateRestoreListener restoreListener,
            StreamsPartitionAssignor.GroupState groupState,
            Listener listener,
            Time time) {
        super(name);
        this.groupState = groupState;
        this.builder = builder;
        this.config = config;
        this.stateDirectory = stateDirectory;
        this.clients = clients;
        this.exactlyOnce = config.exactlyOnce();
        this.collector =
                new ProducerRecordCollector(clients.producer(), exactlyOnce, config.productionExceptionHandler(), time);
        this.restorer = new ChangelogRestorer(clients.restoreConsumer(), restoreListener, time);
        this.listener = listener;
        this.time = time;
        this.crashPoints = CrashPoints.fromSystemProperties();
    }

    public State state() {
        return state;
    }

    private void setState(State next) {
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
        setStatePendingShutdown();
        clients.consumer().wakeup();
    }

    private synchronized void setStatePendingShutdown() {
        if (state != State.DEAD) {
            setState(State.PENDING_SHUTDOWN);
        }
    }

    /** How many changelog records this thread's restores replayed, in total. */
    public long restoredRecords() {
        return restoredRecords;
    }

    /** The tasks whose stores interactive queries may read: restored, running, committed at least once or new. */
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
            if (exactlyOnce) {
                clients.producer().initTransactions();
            }
            subscribe();
            lastCommitMs = time.milliseconds();
            while (!shutdownRequested && !groupState.shutdownReceived()) {
                runOnce();
            }
            commitAll();
            if (!shutdownRequested) {
                failure = new ApplicationShutdownException("Thread " + getName() + " stopped: an instance of "
                        + "application " + config.applicationId() + " asked every instance to shut down");
            }
        } catch (WakeupException e) {
            if (!shutdownRequested) {
                failure = e;
            } else {
                failure = commitQuietly();
            }
        } catch (Throwable e) {
            failure = e;
        }
        if (failure != null) {
            // A dead thread's place in the group is empty: leave, so the group rebalances without waiting for its
            // session to expire (a replacement joins under the same group.instance.id).
            leaveGroupOnClose = true;
        }
        failure = closeAll(failure == null || failure instanceof ApplicationShutdownException, failure);
        setState(State.DEAD);
        if (failure instanceof ApplicationShutdownException) {
            LOG.warn(failure.getMessage());
            listener.onDeath(this, failure);
        } else if (failure != null) {
            LOG.error("Stream thread {} died", getName(), failure);
            listener.onDeath(this, failure);
        }
    }

    private Throwable commitQuietly() {
        try {
            commitAll();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
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

    /** One turn of the loop: poll, process, punctuate, maybe commit. */
    void runOnce() {
        ConsumerRecords<byte[], byte[]> records = clients.consumer().poll(Duration.ofMillis(config.pollMs()));
        if (state == State.PARTITIONS_ASSIGNED) {
            setState(State.RUNNING);
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            RunningTask owner = byPartition.get(partition);
            if (owner != null) {
                owner.inputs().add(partition, record);
            }
        }
        boolean commitRequested = false;
        for (RunningTask running : tasks.values()) {
            ConsumerRecord<byte[], byte[]> record;
            while ((record = running.inputs().next()) != null) {
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

    /**
     * The commit sequence over every task (see the class comment). A failure of the broker commit because the group
     * moved on closes the tasks without committing, and the thread goes on; any other failure is thrown.
     */
    void commitAll() {
        lastCommitMs = time.milliseconds();
        boolean anything = false;
        for (RunningTask running : tasks.values()) {
            anything |= running.inputs().hasUncommitted();
        }
        for (RunningTask running : tasks.values()) {
            running.task().flushStores();
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (RunningTask running : tasks.values()) {
            offsets.putAll(running.inputs().offsetsToCommit());
        }
        if (!anything && offsets.isEmpty() && !collector.hasSent()) {
            return;
        }
        crashPoints.reached(CrashPoints.BEFORE_BROKER_COMMIT);
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
            return;
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException e) {
            throw new StreamsException(
                    "Thread " + getName() + " was fenced by a newer instance with the same "
                            + "identity (transactional.id or group.instance.id): another instance runs on this state.dir's "
                            + "identity, so this one stops without committing: " + e,
                    e);
        }
        crashPoints.reached(CrashPoints.AFTER_BROKER_COMMIT);
        for (RunningTask running : tasks.values()) {
            running.inputs().markCommitted();
            commitStores(running.task());
        }
        crashPoints.reached(CrashPoints.AFTER_STORE_COMMIT);
        maybePurgeRepartitionTopics(offsets);
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
        List<RunningTask> all = new ArrayList<>(tasks.values());
        all.addAll(suspended.values());
        tasks.clear();
        suspended.clear();
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

    private Throwable closeAll(boolean clean, Throwable failure) {
        if (!clean) {
            closeTasksDirty();
        } else {
            List<RunningTask> all = new ArrayList<>(tasks.values());
            all.addAll(suspended.values());
            tasks.clear();
            suspended.clear();
            queryable.clear();
            for (RunningTask running : all) {
                try {
                    running.task().close();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        for (AutoCloseable client :
                List.<AutoCloseable>of(clients.consumer(), clients.restoreConsumer(), clients.producer())) {
            try {
                if (client == clients.consumer()) {
                    clients.consumer()
                            .close(CloseOptions.timeout(Duration.ofSeconds(5))
                                    .withGroupMembershipOperation(
                                            leaveGroupOnClose
                                                    ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                                                    : CloseOptions.GroupMembershipOperation.DEFAULT));
                } else if (client instanceof Consumer<?, ?> consumer) {
                    consumer.close(Duration.ofSeconds(5));
                } else if (client instanceof Producer<?, ?> producer) {
                    producer.close(Duration.ofSeconds(5));
                }
            } catch (RuntimeException e) {
                LOG.warn("Thread {} could not close a client: {}", getName(), e.toString());
            }
        }
        return failure;
    }

    /** Creates, opens and restores the task {@code id} reading {@code partitions}. */
    private RunningTask createTask(TaskId id, Collection<TopicPartition> partitions) {
        StreamTask task = new StreamTask(id, builder, config, collector, time, partitions);
        task.initialize();
        try {
            restore(task);
        } catch (RuntimeException e) {
            task.close();
            throw e;
        }
        TaskInputs inputs = new TaskInputs();
        partitions.forEach(inputs::addPartition);
        return new RunningTask(task, inputs);
    }

    private void restore(StreamTask task) {
        Map<String, StoreFactory> factories = builder.allStores();
        for (ManagedStore store : task.stores()) {
            StoreFactory factory = factories.get(store.name());
            if (factory == null || !factory.loggingEnabled()) {
                continue;
            }
            TopicPartition changelog = changelogPartition(task.id(), store.name());
            ChangelogRestorer.Restored restored = restorer.restore(store, changelog);
            if (restored == null) {
                throw new StreamsException("Task " + task.id() + ": store " + store.name() + " has a checkpoint "
                        + store.committedOffset() + " past the end of its changelog " + changelog
                        + ", which was deleted or recreated; run cleanUp() to restore it from the changelog");
            }
            restoredRecords += restored.records();
            LOG.info(
                    "Task {} restored store {} from {}: {} records, offsets {} to {}",
                    task.id(),
                    store.name(),
                    changelog,
                    restored.records(),
                    restored.startOffset(),
                    restored.endOffset());
        }
    }

    private final class Rebalances implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            setState(State.PARTITIONS_REVOKED);
            if (tasks.isEmpty()) {
                return;
            }
            commitAll();
            for (RunningTask running : tasks.values()) {
                running.inputs().clearBuffered();
                suspended.put(running.task().id(), running);
            }
            tasks.clear();
            byPartition.clear();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            setState(State.PARTITIONS_ASSIGNED);
            Map<TaskId, List<TopicPartition>> assigned = new LinkedHashMap<>();
            for (TopicPartition partition : partitions) {
                int subtopology = builder.subtopologyReading(partition.topic());
                if (subtopology >= 0) {
                    assigned.computeIfAbsent(new TaskId(subtopology, partition.partition()), t -> new ArrayList<>())
                            .add(partition);
                }
            }
            for (TaskId id : new ArrayList<>(suspended.keySet())) {
                if (!assigned.containsKey(id)) {
                    RunningTask gone = suspended.remove(id);
                    queryable.remove(id);
                    gone.task().close();
                }
            }
            for (Map.Entry<TaskId, List<TopicPartition>> entry : assigned.entrySet()) {
                RunningTask running = suspended.remove(entry.getKey());
                if (running == null || !running.inputs().partitions().containsAll(entry.getValue())) {
                    if (running != null) {
                        queryable.remove(entry.getKey());
                        running.task().close();
                    }
                    running = createTask(entry.getKey(), entry.getValue());
                }
                tasks.put(entry.getKey(), running);
                for (TopicPartition partition : entry.getValue()) {
                    byPartition.put(partition, running);
                }
                queryable.put(entry.getKey(), running.task());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            setState(State.PARTITIONS_REVOKED);
            closeTasksDirty();
        }
    }
}
