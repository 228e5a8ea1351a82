package io.weir.streams.processor.internals;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.WakeupException;
import io.weir.common.utils.Time;
import io.weir.streams.StreamsConfig;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.StateRestoreListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one global stream thread of an instance, as Kafka Streams' {@code GlobalStreamThread}: it owns every global
 * store (the global task's) and a consumer assigned — not subscribed: no group — to every partition of every global
 * topic, {@code read_committed} under exactly-once. On start it restores each store from its topic, which is the
 * store's changelog, up to the topic's end offsets (the last stable offsets under {@code read_committed}) by running
 * the records through the global processors; only then does the instance start its stream threads. Afterwards it
 * applies new records as they arrive.
 *
 * <p><b>Visibility.</b> After each batch of records the stores commit, which makes the batch visible at once to the
 * stream tasks (which read the stores' committed data, read-only) and to interactive queries.
 *
 * <p><b>Checkpoint and crashes.</b> Every {@code commit.interval.ms}, at the end of the restore and at a clean close,
 * the thread writes the next offset of each global partition to {@code global/.checkpoint} — always after the store
 * commit that holds every record before those offsets. So the stores are never behind the checkpoint; after a crash
 * they may be ahead of it, and the restart replays the records between the checkpoint and the stores' state again.
 * For a global table (put or delete of each record's key) the replay is idempotent: every key it touches ends at its
 * last value, as before. A processor of {@code addGlobalStore} should be idempotent the same way, as in Kafka
 * Streams. A checkpoint the topic cannot continue (past its end, or before its start: the topic was recreated,
 * truncated or its records deleted) wipes the global stores, which restore in full; so does a persistent store whose
 * directory is gone, and an in-memory store always restores in full.
 *
 * <p><b>Threading.</b> Everything runs on this thread except {@link #shutdown}, {@link #state} and
 * {@link #awaitStarted}, which the client calls.
 */
public final class GlobalStreamThread extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalStreamThread.class);
    /** How long a restore may read nothing before it is declared stuck. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofMillis(100);

    /** Kafka Streams' {@code GlobalStreamThread.State}. */
    public enum State {
        CREATED,
        RUNNING,
        PENDING_SHUTDOWN,
        DEAD
    }

    private final InternalTopologyBuilder builder;
    private final StreamsConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final StateRestoreListener restoreListener;
    private final GlobalStores globalStores;
    private final java.util.function.Consumer<Throwable> onDeath;
    private final CrashPoints.Handler crashPoints;
    private final Time time;
    private final Path directory;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile State state = State.CREATED;
    private volatile boolean shutdownRequested;
    private volatile Throwable failure;
    private volatile long restoredRecords;
    private StreamTask task;
    private boolean restoreFinished;
    private long lastCheckpointMs;

    /**
     * @param onDeath told, on this thread, of the exception that killed it (not called after a clean shutdown)
     */
    public GlobalStreamThread(
            String name,
            InternalTopologyBuilder builder,
            StreamsConfig config,
            Consumer<byte[], byte[]> consumer,
            StateRestoreListener restoreListener,
            GlobalStores globalStores,
            java.util.function.Consumer<Throwable> onDeath,
            Time time) {
        super(name);
        this.builder = builder;
        this.config = config;
        this.consumer = consumer;
        this.restoreListener = restoreListener;
        this.globalStores = globalStores;
        this.onDeath = onDeath;
        this.crashPoints = CrashPoints.from(config.originals());
        this.time = time;
        this.directory = config.stateDir().resolve(config.applicationId()).resolve(StreamTask.GLOBAL_DIRECTORY);
    }

    public State state() {
        return state;
    }

    /** How many records the restore at start applied. */
    public long restoredRecords() {
        return restoredRecords;
    }

    /**
     * Waits until the global stores are restored and the thread runs, or it stopped first.
     *
     * @return whether it runs; false if it was shut down before it finished restoring
     * @throws StreamsException with the failure that killed it
     */
    public boolean awaitStarted() {
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("Interrupted waiting for the global stores to restore", e);
        }
        Throwable dead = failure;
        if (dead != null) {
            throw dead instanceof StreamsException s
                    ? s
                    : new StreamsException("The global stream thread failed to start: " + dead, dead);
        }
        return state == State.RUNNING;
    }

    /** Asks the thread to stop; it commits and checkpoints its stores, then closes them. */
    public void shutdown() {
        shutdownRequested = true;
        if (state != State.DEAD) {
            state = State.PENDING_SHUTDOWN;
        }
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            restore();
            if (!shutdownRequested) {
                state = State.RUNNING;
            }
            started.countDown();
            while (!shutdownRequested) {
                applyOnce(POLL);
            }
            closeClean();
        } catch (WakeupException e) {
            if (shutdownRequested) {
                closeClean();
            } else {
                die(e);
            }
        } catch (CrashPoints.Halt halt) {
            LOG.warn("Global thread {} stops as if killed: {}", getName(), halt.getMessage());
            release();
            failure = halt;
        } catch (Throwable e) {
            die(e);
        } finally {
            state = State.DEAD;
            started.countDown();
        }
    }

    private void die(Throwable e) {
        failure = e;
        release();
        LOG.error("Global stream thread {} died", getName(), e);
        if (restoreFinished) {
            onDeath.accept(e); // a failure before is thrown by awaitStarted, to the client's start()
        }
    }

    /** Opens the stores and brings each up to its topic's end, from the checkpoint where it can continue. */
    private void restore() {
        Map<String, List<TopicPartition>> partitions = partitionsByStore();
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        for (List<TopicPartition> tps : partitions.values()) {
            ends.putAll(consumer.endOffsets(tps));
            beginnings.putAll(consumer.beginningOffsets(tps));
        }
        Map<TopicPartition, Long> starts = startOffsets(partitions, beginnings, ends);
        task = StreamTask.global(builder, config, time);
        task.initialize();
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        long restored = 0;
        for (Map.Entry<String, List<TopicPartition>> entry : partitions.entrySet()) {
            for (TopicPartition tp : entry.getValue()) {
                if (shutdownRequested) {
                    return;
                }
                long start = starts.get(tp);
                long end = ends.get(tp);
                restored += restorePartition(entry.getKey(), tp, start, end);
                positions.put(tp, consumer.position(tp));
            }
        }
        restoredRecords = restored;
        GlobalCheckpoint.write(directory.resolve(GlobalCheckpoint.FILE), positions);
        lastCheckpointMs = time.milliseconds();
        consumer.assign(positions.keySet());
        positions.forEach(consumer::seek);
        globalStores.publish(task.stores());
        restoreFinished = true;
        LOG.info("Global thread {} restored {} records into {}", getName(), restored, partitions.keySet());
    }

    /** Every partition of each global store's topic, by store. */
    private Map<String, List<TopicPartition>> partitionsByStore() {
        Map<String, List<TopicPartition>> out = new LinkedHashMap<>();
        builder.globalTopics().forEach((store, topic) -> {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new StreamsException("The topic " + topic + " of the global store " + store
                        + " does not exist; create it before starting application " + config.applicationId());
            }
            List<TopicPartition> tps = new ArrayList<>();
            infos.forEach(info -> tps.add(new TopicPartition(topic, info.partition())));
            out.put(store, tps);
        });
        return out;
    }

    /**
     * Where each partition's restore starts: its checkpoint if every store can continue from the checkpoint, else
     * (after wiping the global directory) the partition's beginning.
     */
    private Map<TopicPartition, Long> startOffsets(
            Map<String, List<TopicPartition>> partitions,
            Map<TopicPartition, Long> beginnings,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> checkpoint = GlobalCheckpoint.read(directory.resolve(GlobalCheckpoint.FILE));
        Map<String, io.weir.streams.state.internals.StoreFactory> factories = builder.globalStores();
        boolean usable = !checkpoint.isEmpty();
        for (Map.Entry<String, List<TopicPartition>> entry : partitions.entrySet()) {
            var factory = factories.get(entry.getKey());
            if (!factory.persistent() || !Files.isDirectory(directory.resolve(entry.getKey()))) {
                usable = false;
            }
            for (TopicPartition tp : entry.getValue()) {
                Long offset = checkpoint.get(tp);
                if (offset == null || offset > ends.get(tp) || offset < beginnings.get(tp)) {
                    usable = false;
                }
            }
        }
        if (!usable && Files.exists(directory)) {
            LOG.warn(
                    "Global thread {}: the checkpoint {} cannot be continued by every global store (a store is new,"
                            + " in memory or gone, or a topic was recreated, truncated or purged); wiping {} and"
                            + " restoring every global store in full",
                    getName(),
                    checkpoint,
                    directory);
            StateDirectory.deleteRecursively(directory);
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        Map<TopicPartition, Long> from = usable ? checkpoint : beginnings;
        partitions.values().forEach(tps -> tps.forEach(tp -> starts.put(tp, from.get(tp))));
        return starts;
    }

    /** Runs the records of {@code tp} from {@code start} to at least {@code end} through the global task. */
    private long restorePartition(String store, TopicPartition tp, long start, long end) {
        restoreListener.onRestoreStart(tp, store, start, end);
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        long restored = 0;
        long lastProgress = time.milliseconds();
        while (consumer.position(tp) < end && !shutdownRequested) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(10));
            if (records.isEmpty()) {
                if (time.milliseconds() - lastProgress > STALL_TIMEOUT.toMillis()) {
                    throw new StreamsException("Restoring the global store " + store + " from " + tp
                            + " read nothing for " + STALL_TIMEOUT + " at offset " + consumer.position(tp) + " of "
                            + end);
                }
                continue;
            }
            lastProgress = time.milliseconds();
            long last = -1;
            int batch = 0;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                process(record);
                last = record.offset();
                batch++;
            }
            task.flushStores();
            task.commitStores();
            restored += batch;
            restoreListener.onBatchRestored(tp, store, last, batch);
        }
        restoreListener.onRestoreEnd(tp, store, restored);
        return restored;
    }

    /** One poll of new records, applied and committed; the checkpoint when {@code commit.interval.ms} passed. */
    private void applyOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (!records.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                process(record);
            }
            task.flushStores();
            task.commitStores();
            crashPoints.reached(CrashPoints.GLOBAL_AFTER_STORE_COMMIT, getName());
        }
        if (time.milliseconds() - lastCheckpointMs >= config.commitIntervalMs()) {
            checkpoint();
        }
    }

    private void process(ConsumerRecord<byte[], byte[]> record) {
        task.process(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                record.value(),
                record.headers());
    }

    /** Writes the consumer's positions, every record before which the stores committed. */
    private void checkpoint() {
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, consumer.position(tp));
        }
        GlobalCheckpoint.write(directory.resolve(GlobalCheckpoint.FILE), positions);
        lastCheckpointMs = time.milliseconds();
    }

    /** A clean stop: once the restore finished, the stores commit and the checkpoint is written; then release. */
    private void closeClean() {
        if (restoreFinished) {
            try {
                task.flushStores();
                task.commitStores();
                checkpoint();
            } catch (RuntimeException e) {
                LOG.warn("Global thread {} could not checkpoint as it closed: {}", getName(), e.toString());
            }
        }
        release();
    }

    /**
     * Withdraws the stores from the stream tasks and queries, closes them (dropping what was not committed) and the
     * consumer; writes nothing.
     */
    private void release() {
        globalStores.withdraw();
        if (task != null) {
            try {
                task.close();
            } catch (RuntimeException e) {
                LOG.warn("Global thread {} could not close its stores: {}", getName(), e.toString());
            }
            task = null;
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Global thread {} could not close its consumer: {}", getName(), e.toString());
        }
    }

    /** Closes the consumer of a thread that was never started. */
    public void discard() {
        consumer.close(Duration.ZERO);
    }
}
