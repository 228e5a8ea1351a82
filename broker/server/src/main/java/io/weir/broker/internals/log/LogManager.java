package io.weir.broker.internals.log;

import io.weir.broker.CleanerConfig;
import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidPartitionsException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.WeirException;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a data directory: the topics in it, one {@link Log} per partition, and the files that make a restart
 * fast and safe.
 *
 * <pre>
 * data-dir/
 *   .lock                               held while a broker has the directory open
 *   .weir_cleanshutdown                 present only between a clean close and the next open
 *   recovery-point-offset-checkpoint    per partition, the offset below which everything was synced
 *   log-start-offset-checkpoint         per partition, its log start offset (DeleteRecords may move it into a segment)
 *   cleaner-offset-checkpoint           per compacted partition, where the log cleaner's next pass starts
 *   meta/topics                         every topic: partition count and configuration overrides
 *   &lt;topic&gt;-&lt;partition&gt;/               a partition's segments (see Log)
 * </pre>
 *
 * <p>Opening without the clean-shutdown marker means the last stop was a crash: every partition is
 * recovered from its checkpointed recovery point. The marker is removed as soon as the directory is open, so
 * a crash from then on is detected too.
 *
 * <p>The directory's {@link LogDirContext} lives here: the {@link LogDirFailureChannel} that takes the whole
 * directory offline when a write or sync of one of its files fails (every log and the cleaner report to it, and
 * so does this manager for the recovery-point and log-start checkpoints, the topic metadata, its own syncs of the
 * directory and the clean-shutdown marker), the {@link FileChannelFactory} every file is opened, renamed and deleted
 * through, and the one {@link SegmentDeleter} that removes the files of segments retention or the cleaner took
 * out. Once the directory is offline, no recovery-point checkpoint is written and close leaves no clean-shutdown
 * marker, so the next open recovers every partition from the last checkpoint written while the disk was trusted.
 *
 * <p>The log start offset is derived from the segments, except where DeleteRecords moved it inside one: so
 * {@link #deleteRecords} writes every partition's log start to {@code log-start-offset-checkpoint} before it
 * answers, and an open starts each log at the higher of its checkpointed start and its first segment's base.
 *
 * <p>Threading: topic creation, deletion, partition growth, configuration changes and checkpoint writes are
 * serialised on {@code this} (recovery-point checkpoint writes also on {@code recoveryPointFile}, which the open of a
 * log cut below its checkpointed point takes too); looking up a log is lock-free and safe from any thread.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    static final String CLEAN_SHUTDOWN_FILE = CleanShutdownMarker.FILE;
    static final String LOCK_FILE = ".lock";

    private final Path dataDir;
    private final LogConfig defaults;
    private final ProducerStateConfig producerStateConfig;
    private final Time time;
    private final LogDirContext context;
    private final TopicMetadataStore topicStore;
    private final OffsetCheckpoint checkpoint;
    private final OffsetCheckpoint logStartCheckpoint;
    /**
     * What {@code log-start-offset-checkpoint} holds on disk, per partition (0 when absent): a DeleteRecords whose
     * answers are all at or below these needs no write. Replaced after each successful write, under {@code this}.
     */
    private final Map<TopicPartition, Long> checkpointedLogStarts = new ConcurrentHashMap<>();

    /** The opened logs. A partition is here or in {@code unopened}, both for a moment while it opens, never neither. */
    private final Map<TopicPartition, Log> logs = new ConcurrentHashMap<>();
    /** The partitions found at open whose logs nothing has used yet: each opens on first use. */
    private final Map<TopicPartition, UnopenedLog> unopened = new ConcurrentHashMap<>();

    private final Map<String, TopicMetadataStore.TopicMetadata> topics = new ConcurrentHashMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final CleanShutdownMarker.Found shutdownMarker;
    /** Set once the logs are loaded. */
    private LogCleaner cleaner;

    private volatile boolean closed;
    /**
     * Serialises writes of the recovery-point checkpoint; taken last (a log's open takes it holding its {@link
     * UnopenedLog}'s monitor, which this manager's lock may be holding too).
     */
    private final Object recoveryPointFile = new Object();

    private LogManager(
            Path dataDir,
            LogConfig defaults,
            ProducerStateConfig producerStateConfig,
            Time time,
            FileChannelFactory channels,
            FileChannel lockChannel,
            FileLock lock,
            CleanShutdownMarker.Found shutdownMarker) {
        this.dataDir = dataDir;
        this.defaults = defaults;
        this.producerStateConfig = producerStateConfig;
        this.time = time;
        this.context = LogDirContext.of(dataDir, channels, time);
        this.topicStore = new TopicMetadataStore(dataDir.resolve("meta").resolve("topics"), channels);
        this.checkpoint = new OffsetCheckpoint(dataDir.resolve("recovery-point-offset-checkpoint"), channels);
        this.logStartCheckpoint = new OffsetCheckpoint(dataDir.resolve("log-start-offset-checkpoint"), channels);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.shutdownMarker = shutdownMarker;
    }

    /**
     * Locks {@code dataDir}, loads every topic and recovers its partitions as needed.
     *
     * @param producerStateConfig the partitions' producer-state settings ({@code producer.id.expiration.ms})
     * @throws KafkaStorageException the directory cannot be created or written, or another broker holds it
     */
    public static LogManager open(
            Path dataDir, LogConfig defaults, ProducerStateConfig producerStateConfig, Time time) {
        return open(dataDir, defaults, producerStateConfig, time, CleanerConfig.DEFAULTS, CleanerHook.NONE);
    }

    /**
     * As {@link #open(Path, LogConfig, ProducerStateConfig, Time)}, with the log cleaner's settings; the
     * cleaner's threads start with {@link #startCleaner()}.
     *
     * @param cleanerHook sees every step of every cleaning pass ({@link CleanerHook#NONE} outside tests)
     */
    public static LogManager open(
            Path dataDir,
            LogConfig defaults,
            ProducerStateConfig producerStateConfig,
            Time time,
            CleanerConfig cleanerConfig,
            CleanerHook cleanerHook) {
        return open(
                dataDir, defaults, producerStateConfig, time, cleanerConfig, cleanerHook, FileChannelFactory.SYSTEM);
    }

    /**
     * As {@link #open(Path, LogConfig, ProducerStateConfig, Time, CleanerConfig, CleanerHook)}, opening every
     * file of the logs through {@code channels} ({@link FileChannelFactory#SYSTEM} outside tests).
     */
    public static LogManager open(
            Path dataDir,
            LogConfig defaults,
            ProducerStateConfig producerStateConfig,
            Time time,
            CleanerConfig cleanerConfig,
            CleanerHook cleanerHook,
            FileChannelFactory channels) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            if (!Files.isWritable(dataDir)) {
                throw new KafkaStorageException("Data directory " + dataDir + " is not writable");
            }
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new KafkaStorageException(
                        "Data directory " + dataDir + " is in use by another broker (" + LOCK_FILE + " is locked)");
            }
            Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
            CleanShutdownMarker.Found found = CleanShutdownMarker.read(marker);
            LogManager manager =
                    new LogManager(dataDir, defaults, producerStateConfig, time, channels, channel, lock, found);
            try {
                manager.loadLogs();
                manager.cleaner = LogCleaner.create(
                        cleanerConfig,
                        dataDir.resolve("cleaner-offset-checkpoint"),
                        manager.logs::values,
                        time,
                        cleanerHook,
                        manager.context);
                LogFiles.delete(channels, marker);
                LogFiles.syncDirectory(channels, dataDir);
            } catch (IOException | RuntimeException e) {
                // Release what was opened, the directory lock included, so a later open can try again.
                manager.crash();
                throw e;
            }
            return manager;
        } catch (AccessDeniedException e) {
            closeQuietly(channel);
            throw new KafkaStorageException("Data directory " + dataDir + " is not writable: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new KafkaStorageException("Could not open data directory " + dataDir + ": " + e, e);
        }
    }

    /**
     * Finds every partition the topic metadata defines and leaves its log unopened: each opens on first use ({@link
     * #log}), with how the last stop left it. Nothing of a partition's files is read here.
     */
    private void loadLogs() throws IOException {
        Map<TopicPartition, Long> recoveryPoints = checkpoint.read();
        Map<TopicPartition, Long> logStarts = logStartCheckpoint.read();
        deleteOrphanPartitionDirs();
        for (TopicMetadataStore.TopicMetadata meta : topicStore.loadAll()) {
            topics.put(meta.name(), meta);
            for (int p = 0; p < meta.partitions(); p++) {
                TopicPartition tp = new TopicPartition(meta.name(), p);
                long recoveryPoint = recoveryPoints.getOrDefault(tp, 0L);
                unopened.put(
                        tp,
                        new UnopenedLog(
                                tp,
                                shutdownMarker.shutdownOf(tp, recoveryPoint),
                                logStarts.getOrDefault(tp, 0L),
                                recoveryPoint));
            }
        }
        checkpointedLogStarts.putAll(logStarts);
        if (!unopened.keySet().containsAll(logStarts.keySet())) {
            // A topic deletion stopped before it rewrote the checkpoint: a topic created again under that name must
            // not start at the old partition's log start.
            Map<TopicPartition, Long> starts = currentLogStartOffsets();
            logStartCheckpoint.write(starts);
            checkpointedLogStarts.clear();
            checkpointedLogStarts.putAll(starts);
        }
        if (!unopened.keySet().containsAll(recoveryPoints.keySet())) {
            // Likewise: a topic created again under that name must not trust its unsynced data below the old point.
            writeRecoveryPointCheckpoint(Map.of());
        }
    }

    /**
     * Removes partition directories whose topic is no longer defined: a topic deletion that crashed after
     * removing the topic's metadata but before its files. Left alone, a new topic of the same name would
     * reopen the old data.
     */
    private void deleteOrphanPartitionDirs() throws IOException {
        java.util.Set<String> defined = new java.util.HashSet<>();
        for (TopicMetadataStore.TopicMetadata meta : topicStore.loadAll()) {
            for (int p = 0; p < meta.partitions(); p++) {
                defined.add(meta.name() + "-" + p);
            }
        }
        try (var entries = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                int dash = name.lastIndexOf('-');
                boolean partitionDir = dash > 0
                        && name.substring(dash + 1).chars().allMatch(Character::isDigit)
                        && dash < name.length() - 1;
                if (partitionDir && !defined.contains(name)) {
                    LogFiles.deleteRecursively(dir);
                }
            }
        }
    }

    public boolean hadCleanShutdown() {
        return shutdownMarker.clean();
    }

    public Path dataDir() {
        return dataDir;
    }

    public LogConfig defaults() {
        return defaults;
    }

    private Path partitionDir(TopicPartition tp) {
        return dataDir.resolve(tp.topic() + "-" + tp.partition());
    }

    // ---- topics -------------------------------------------------------------------------------------------

    /**
     * Creates a topic with {@code partitions} partitions and configuration {@code overrides}: validates the
     * name and every override first, then writes the topic's metadata, then creates its logs.
     */
    public synchronized void createTopic(String name, int partitions, Map<String, String> overrides) {
        create(name, partitions, overrides, userTopicConfig(name, overrides));
    }

    /**
     * The configuration a user's topic would get: the broker's defaults with {@code overrides}. Any cleanup
     * policy is allowed ({@code delete}, {@code compact} or both); a compacted topic refuses records without
     * a key.
     *
     * @throws InvalidConfigurationException an unknown key or a bad value, naming it and the topic
     */
    public LogConfig userTopicConfig(String name, Map<String, String> overrides) {
        return topicConfigWith(name, overrides);
    }

    private LogConfig topicConfigWith(String name, Map<String, String> overrides) {
        try {
            return LogConfig.withOverrides(defaults, overrides);
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException("Topic '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Creates one of the broker's own topics (the offsets and transaction-state topics, both compacted). */
    public synchronized void createInternalTopic(String name, int partitions, Map<String, String> overrides) {
        create(name, partitions, overrides, LogConfig.withOverrides(defaults, overrides));
    }

    private void create(String name, int partitions, Map<String, String> overrides, LogConfig config) {
        context.failures().ensureOnline("Creation of topic " + name);
        Topic.validate(name);
        if (partitions < 1) {
            throw new InvalidPartitionsException("Topic " + name + " needs at least one partition, got " + partitions);
        }
        if (topics.containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists");
        }
        TopicMetadataStore.TopicMetadata meta =
                new TopicMetadataStore.TopicMetadata(name, partitions, Map.copyOf(overrides));
        // Logs first, then the metadata that makes the topic exist, then publish it: a failure or crash in
        // between leaves only directories no topic owns, which the next open deletes.
        Map<TopicPartition, Log> created = openNewLogs(name, 0, partitions, config);
        try {
            topicStore.write(meta);
            LogFiles.syncDirectory(context.channels(), dataDir);
        } catch (IOException e) {
            discard(created);
            throw context.failures().fail("Recording topic " + name, topicStore.file(), e);
        }
        logs.putAll(created);
        topics.put(name, meta);
    }

    private Map<TopicPartition, Log> openNewLogs(String topic, int from, int to, LogConfig config) {
        Map<TopicPartition, Log> created = new java.util.LinkedHashMap<>();
        try {
            for (int p = from; p < to; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                deleteStaleDir(tp);
                created.put(
                        tp, Log.open(partitionDir(tp), tp, config, producerStateConfig, time, Shutdown.CLEAN, context));
            }
            return created;
        } catch (RuntimeException e) {
            discard(created);
            if (e.getCause() instanceof FileWriteException write) {
                // Creating a log's files is a write to the directory: the storage-failure rule applies.
                throw context.failures().fail("Creation of the logs of topic " + topic, write.file(), write);
            }
            throw e;
        }
    }

    private static void discard(Map<TopicPartition, Log> created) {
        for (Log log : created.values()) {
            try {
                log.delete();
            } catch (RuntimeException ignored) {
                // the next open removes directories no topic owns
            }
        }
    }

    /** Grows a topic to {@code newTotal} partitions; a decrease or no change is refused. */
    public synchronized void createPartitions(String name, int newTotal) {
        context.failures().ensureOnline("Creation of partitions of topic " + name);
        TopicMetadataStore.TopicMetadata meta = topicMetadata(name);
        if (newTotal <= meta.partitions()) {
            throw new InvalidPartitionsException(
                    "Topic " + name + " has " + meta.partitions() + " partitions; the new count " + newTotal
                            + " must be larger (partitions can be added but never removed)");
        }
        TopicMetadataStore.TopicMetadata grown = new TopicMetadataStore.TopicMetadata(name, newTotal, meta.overrides());
        LogConfig config = LogConfig.withOverrides(defaults, meta.overrides());
        Map<TopicPartition, Log> created = openNewLogs(name, meta.partitions(), newTotal, config);
        try {
            topicStore.write(grown);
            LogFiles.syncDirectory(context.channels(), dataDir);
        } catch (IOException e) {
            discard(created);
            throw context.failures().fail("Recording new partitions of topic " + name, topicStore.file(), e);
        }
        logs.putAll(created);
        topics.put(name, grown);
    }

    /**
     * Deletes a topic's metadata first (so a crash mid-way does not resurrect it), then its logs. The log
     * cleaner is kept off its partitions (a pass in progress stops) before anything goes.
     */
    public synchronized List<Log> deleteTopic(String name) {
        TopicMetadataStore.TopicMetadata meta = topicMetadata(name);
        context.failures().ensureOnline("Deletion of topic " + name);
        try {
            for (int p = 0; p < meta.partitions(); p++) {
                cleaner.pauseAndWait(new TopicPartition(name, p));
            }
            topicStore.delete(name);
        } catch (IOException | RuntimeException e) {
            for (int p = 0; p < meta.partitions(); p++) {
                cleaner.resume(new TopicPartition(name, p)); // the topic stays: so does its cleaning
            }
            if (e instanceof IOException io) {
                throw context.failures()
                        .fail("Deletion of topic " + name + " from the topic metadata", topicStore.file(), io);
            }
            throw (RuntimeException) e;
        }
        topics.remove(name);
        List<Log> removed = new ArrayList<>();
        for (int p = 0; p < meta.partitions(); p++) {
            TopicPartition tp = new TopicPartition(name, p);
            UnopenedLog pending = unopened.remove(tp);
            if (pending != null && pending.discard() == null) {
                deleteUnopenedDir(tp);
            }
            Log log = logs.remove(tp);
            if (log != null) {
                removed.add(log);
            }
            cleaner.forget(tp);
        }
        // Forget the deleted partitions' recovery points, or a topic recreated under the same name would
        // trust unsynced segments below the old point after a crash; and their log starts, or it would start there.
        if (!context.failures().isOffline()) {
            try {
                writeRecoveryPointCheckpoint(Map.of());
            } catch (IOException e) {
                throw context.failures()
                        .fail(
                                "Topic " + name + " was deleted but the rewrite of the recovery-point checkpoint",
                                checkpoint.file(),
                                e);
            }
            writeLogStartCheckpoint("Topic " + name + " was deleted but the rewrite of the log-start checkpoint");
        }
        return removed;
    }

    /** Removes the files of a deleted topic's partition that was never opened; a failure leaves them for the next open. */
    private void deleteUnopenedDir(TopicPartition tp) {
        try {
            LogFiles.deleteRecursively(partitionDir(tp));
        } catch (IOException e) {
            LOG.warn(
                    "Could not delete " + partitionDir(tp) + " of the deleted topic " + tp.topic()
                            + "; the next open of the data directory removes it",
                    e);
        }
    }

    private void deleteStaleDir(TopicPartition tp) {
        try {
            LogFiles.deleteRecursively(partitionDir(tp));
        } catch (IOException e) {
            throw new KafkaStorageException("Could not clear stale directory of " + tp + ": " + e, e);
        }
    }

    public TopicMetadataStore.TopicMetadata topicMetadata(String name) {
        TopicMetadataStore.TopicMetadata meta = topics.get(name);
        if (meta == null) {
            throw UnknownTopicOrPartitionException.unknownTopic(name);
        }
        return meta;
    }

    public boolean topicExists(String name) {
        return topics.containsKey(name);
    }

    public Map<String, TopicMetadataStore.TopicMetadata> topics() {
        return new TreeMap<>(topics);
    }

    /** The effective configuration of a topic. */
    public LogConfig topicConfig(String name) {
        return LogConfig.withOverrides(defaults, topicMetadata(name).overrides());
    }

    /**
     * The log of a partition.
     *
     * @throws UnknownTopicOrPartitionException naming the topic and partition when there is none
     */
    public Log log(TopicPartition tp) {
        Log log = logs.get(tp);
        if (log == null) {
            UnopenedLog pending = unopened.get(tp);
            if (pending != null) {
                return pending.open(this::openFound);
            }
            log = logs.get(tp); // opened since the first look
            if (log != null) {
                return log;
            }
            TopicMetadataStore.TopicMetadata meta = topics.get(tp.topic());
            throw meta == null
                    ? UnknownTopicOrPartitionException.unknownTopic(tp.topic())
                    : UnknownTopicOrPartitionException.unknownPartition(tp, meta.partitions());
        }
        return log;
    }

    /** The logs opened so far: partitions nothing has used since the directory opened are not among them. */
    public Collection<Log> logs() {
        return logs.values();
    }

    /** Whether {@code tp}'s log is open (tests; {@link #log} opens it). */
    public boolean isOpen(TopicPartition tp) {
        return logs.containsKey(tp);
    }

    /**
     * Opens every log not opened yet, as an open of the directory did before logs opened on first use; one that
     * fails to open is reported and left for its first use, which meets the same error. Retention runs this first,
     * so an idle partition's old segments still go.
     */
    public void openAll() {
        for (UnopenedLog pending : unopened.values()) {
            try {
                pending.open(this::openFound);
            } catch (WeirException e) {
                LOG.error("Could not open the log of " + pending.topicPartition() + "; its first use will retry", e);
            }
        }
    }

    /**
     * Opens a partition found when the directory opened, as the directory's open did before logs opened lazily, and
     * publishes it. Runs under the {@link UnopenedLog}'s lock, so once per partition.
     */
    private Log openFound(UnopenedLog pending) {
        TopicPartition tp = pending.topicPartition();
        if (closed) {
            throw new KafkaStorageException("The log of " + tp + " is closed");
        }
        // Recovery writes (it cuts torn tails): not in a directory that a failed write took offline.
        context.failures().ensureOnline("Open of the log of " + tp);
        Log log;
        try {
            log = Log.open(
                    partitionDir(tp),
                    tp,
                    topicConfig(tp.topic()),
                    producerStateConfig,
                    time,
                    pending.shutdown(),
                    pending.checkpointedLogStart(),
                    context);
        } catch (KafkaStorageException e) {
            if (e.getCause() instanceof FileWriteException write) {
                throw context.failures().fail("Open of the log of " + tp, write.file(), write);
            }
            throw e;
        }
        publishOpened(pending, log);
        // A configuration change that ran while this opened updated only the logs then published: apply the latest.
        log.updateConfig(topicConfig(tp.topic()));
        return log;
    }

    /**
     * Publishes a log just opened. When its open cut it below the recovery point the checkpoint names (a torn tail
     * after a clean shutdown, a recovery that ended below a stale point), the checkpoint is rewritten first, before
     * anything can be appended there: else a crash would trust those appends as synced ({@link
     * LogSegment#recoverAfter}, and the segments below the one holding the point). Under the checkpoint file's lock,
     * so no other checkpoint write takes the stale value from {@code unopened} in between.
     */
    private void publishOpened(UnopenedLog pending, Log log) {
        TopicPartition tp = pending.topicPartition();
        synchronized (recoveryPointFile) {
            if (log.recoveryPoint() < pending.checkpointedRecoveryPoint()) {
                try {
                    writeRecoveryPointCheckpoint(Map.of(tp, log.recoveryPoint()));
                } catch (IOException e) {
                    log.closeWithoutFlush(); // the directory goes offline: nothing more is written
                    throw context.failures()
                            .fail(
                                    "Open of the log of " + tp + " cut it below its checkpointed recovery point "
                                            + pending.checkpointedRecoveryPoint()
                                            + ", but the rewrite of the recovery-point checkpoint",
                                    checkpoint.file(),
                                    e);
                }
            }
            logs.put(tp, log);
            unopened.remove(tp);
        }
    }

    // ---- topic configuration changes (Admin.incrementalAlterConfigs) -------------------------------------
    //
    // Validate, then apply: the new overrides are computed from the ones in effect and validated whole before
    // anything is written; then the metadata file is replaced atomically (so a crash leaves the old overrides
    // or the new, never a mix) and only then does each partition's log switch to the new configuration. Both
    // run on this manager's lock, as creation, growth and deletion do, so two changes of one topic never
    // start from the same overrides and a partition added meanwhile opens with the new configuration.

    /**
     * The configuration {@code change} would give the topic; nothing is written or changed.
     *
     * @param change from the topic's overrides in effect to its new overrides
     * @throws UnknownTopicOrPartitionException the topic does not exist
     * @throws InvalidConfigurationException    the new overrides hold an unknown key or a bad value, naming it
     *                                          and the topic
     */
    public synchronized LogConfig validateTopicConfigChange(String name, UnaryOperator<Map<String, String>> change) {
        return prepareTopicConfigChange(name, change).config();
    }

    /**
     * Replaces the topic's overrides with {@code change} applied to them, durably, then gives every partition's
     * log the new configuration. Retention, {@code segment.bytes}/{@code segment.ms}, {@code max.message.bytes}
     * and {@code cleanup.policy} apply from the next append or retention run; {@code index.interval.bytes} and
     * {@code segment.index.bytes} from each partition's next segment.
     *
     * @param change from the topic's overrides in effect to its new overrides
     * @return the topic's new configuration
     * @throws UnknownTopicOrPartitionException the topic does not exist
     * @throws InvalidConfigurationException    the new overrides hold an unknown key or a bad value; nothing changed
     * @throws LogDirFailureException           the directory is offline, or the metadata file could not be
     *                                          replaced and that took it offline; the change is not in effect
     *                                          (though if only the final directory sync failed, a restart may
     *                                          find it written)
     */
    public synchronized LogConfig alterTopicConfig(String name, UnaryOperator<Map<String, String>> change) {
        TopicConfigChange prepared = prepareTopicConfigChange(name, change);
        context.failures().ensureOnline("Configuration change of topic " + name);
        try {
            topicStore.write(prepared.altered());
        } catch (IOException e) {
            throw context.failures().fail("Recording the new configuration of topic " + name, topicStore.file(), e);
        }
        topics.put(name, prepared.altered());
        for (int p = 0; p < prepared.altered().partitions(); p++) {
            // A log not opened yet reads the topic's configuration when it opens.
            Log log = logs.get(new TopicPartition(name, p));
            if (log != null) {
                log.updateConfig(prepared.config());
            }
        }
        return prepared.config();
    }

    /** A validated change of a topic's overrides, not yet applied. */
    private record TopicConfigChange(TopicMetadataStore.TopicMetadata altered, LogConfig config) {}

    private TopicConfigChange prepareTopicConfigChange(String name, UnaryOperator<Map<String, String>> change) {
        TopicMetadataStore.TopicMetadata meta = topicMetadata(name);
        Map<String, String> overrides = Map.copyOf(change.apply(meta.overrides()));
        LogConfig config = topicConfigWith(name, overrides);
        return new TopicConfigChange(new TopicMetadataStore.TopicMetadata(name, meta.partitions(), overrides), config);
    }

    // ---- deleting records (Admin.deleteRecords) ------------------------------------------------------------

    /**
     * The answer of {@link #deleteRecords} for one partition.
     *
     * @param lowWatermark the partition's log start offset after the call; -1 when refused
     * @param error        why the partition refused, or null
     */
    public record DeleteRecordsResult(long lowWatermark, WeirException error) {}

    /**
     * Deletes, per partition, every record before the given offset (-1: the high watermark), as Kafka's
     * DeleteRecords does: each log's start moves up to it ({@link Log#deleteRecordsBefore}) and the segments wholly
     * below go to the {@link #segmentDeleter()}. The new starts are written to {@code log-start-offset-checkpoint}
     * (once for the whole call) before this returns, so a partition's answer holds across a crash. One partition's
     * refusal leaves the others alone.
     *
     * @return per partition, its log start offset after the call, or the error: {@link
     *         UnknownTopicOrPartitionException}, {@link io.weir.common.errors.OffsetOutOfRangeException} (past the
     *         high watermark, or negative other than -1), {@link io.weir.common.errors.PolicyViolationException} (a
     *         compact-only topic), {@link LogDirFailureException} (the directory is offline, or a rename or the
     *         checkpoint's write failed and took it offline)
     */
    public Map<TopicPartition, DeleteRecordsResult> deleteRecords(Map<TopicPartition, Long> beforeOffsets) {
        Map<TopicPartition, DeleteRecordsResult> results = new LinkedHashMap<>();
        List<TopicPartition> notDurable = new ArrayList<>();
        List<DeletedSegment> removed = new ArrayList<>();
        beforeOffsets.forEach((tp, beforeOffset) -> {
            try {
                Log.LogStartAdvance advance = log(tp).deleteRecordsBefore(beforeOffset);
                removed.addAll(advance.removed());
                // An answer must hold across a crash, a no-op's too: the start it reports may have been moved by a
                // request whose checkpoint write has not finished.
                if (advance.logStartOffset() > checkpointedLogStarts.getOrDefault(tp, 0L)) {
                    notDurable.add(tp);
                }
                results.put(tp, new DeleteRecordsResult(advance.logStartOffset(), null));
            } catch (WeirException e) {
                results.put(tp, new DeleteRecordsResult(-1L, e));
            }
        });
        try {
            if (!notDurable.isEmpty()) {
                writeLogStartCheckpoint("Write of the log-start checkpoint after deleting records");
            }
        } catch (LogDirFailureException e) {
            // In memory the starts moved, but nothing may be acknowledged that a crash could undo.
            notDurable.forEach(tp -> results.put(tp, new DeleteRecordsResult(-1L, e)));
        } finally {
            context.deleter().retire(removed);
        }
        return results;
    }

    /**
     * Writes every partition's log start offset to {@code log-start-offset-checkpoint}, atomically.
     *
     * @throws LogDirFailureException the directory is offline, or the write failed and took it offline
     */
    private synchronized void writeLogStartCheckpoint(String operation) {
        context.failures().ensureOnline(operation);
        Map<TopicPartition, Long> starts = currentLogStartOffsets();
        try {
            logStartCheckpoint.write(starts);
        } catch (IOException e) {
            throw context.failures().fail(operation, logStartCheckpoint.file(), e);
        }
        checkpointedLogStarts.clear();
        checkpointedLogStarts.putAll(starts);
    }

    private Map<TopicPartition, Long> currentLogStartOffsets() {
        Map<TopicPartition, Long> starts = new TreeMap<>();
        for (UnopenedLog pending : unopened.values()) {
            starts.put(pending.topicPartition(), pending.checkpointedLogStart());
        }
        for (Log log : logs.values()) { // after: one that opened meanwhile is in both, and the open log decides
            starts.put(log.topicPartition(), log.logStartOffset());
        }
        return starts;
    }

    // ---- maintenance --------------------------------------------------------------------------------------

    /** The log cleaner of this directory's compacted topics. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** Starts the cleaner's threads ({@code log.cleaner.threads}), unless {@code log.cleaner.enable} is false. */
    public void startCleaner() {
        cleaner.startup();
    }

    /**
     * Runs retention on every log and hands the removed segments to the {@link #segmentDeleter()}, which deletes
     * their files after {@code file.delete.delay.ms}; deletes the files of earlier ones now due.
     */
    public void runRetention() {
        openAll();
        SegmentDeleter deleter = context.deleter();
        try {
            for (Log log : logs.values()) {
                List<DeletedSegment> deleted = log.deleteRetainedSegments();
                deleter.retire(deleted);
            }
        } finally {
            deleter.deleteDue();
        }
    }

    /** The one deleter of this directory's removed segments (retention's and the cleaner's). */
    public SegmentDeleter segmentDeleter() {
        return context.deleter();
    }

    /**
     * What the files of this directory share: the seam they are opened through and the storage-failure rule.
     * The broker's own files in the directory (the producer-id block) are written through it too.
     */
    public LogDirContext dirContext() {
        return context;
    }

    /** Whether a write or sync failed in this directory: its logs then refuse appends and reads until a restart. */
    public boolean isOffline() {
        return context.failures().isOffline();
    }

    /**
     * Drops, on every partition, the producers idle for {@code producer.id.expiration.ms} with no open
     * transaction. Runs every {@code producer.id.expiration.check.interval.ms}.
     */
    public void removeExpiredProducers() {
        long now = time.milliseconds();
        for (UnopenedLog pending : unopened.values()) {
            pending.missedExpiryCheck(now); // applied when it opens, as if it had been open now
        }
        for (Log log : logs.values()) {
            log.removeExpiredProducers();
        }
    }

    /**
     * Syncs rolled segments of every partition, then saves every partition's recovery point. Does nothing once
     * the directory is offline.
     *
     * @throws io.weir.broker.internals.log.LogDirFailureException a sync or the checkpoint's write failed; the
     *                                                             directory is now offline
     */
    public synchronized void checkpointRecoveryPoints() {
        if (context.failures().isOffline()) {
            return;
        }
        for (Log log : logs.values()) {
            log.flushRolledSegments();
        }
        writeRecoveryPoints();
    }

    /**
     * Bounds what a crash leaves to recover in this directory: once its open partitions hold {@code budgetBytes}
     * appended since their last tail flush ({@link Log#bytesSinceTailFlush}), flushes their tails
     * ({@link Log#flushTail}), the partition holding most first, until less than half the budget is left, then saves
     * the recovery points. A directory-wide budget, since recovery cost adds up over the partitions a restart uses:
     * one busy partition is flushed every half budget, and a hundred evenly loaded ones about half of them at a time.
     * {@code log.flush.interval.bytes}, checked every {@code log.flush.scheduler.interval.ms} on the broker's
     * maintenance thread. The syncs run without this manager's monitor, so a partition opening meanwhile does not
     * wait for them. Does nothing once the directory is offline.
     *
     * @return how many partitions it flushed
     * @throws io.weir.broker.internals.log.LogDirFailureException a sync or the checkpoint's write failed; the
     *                                                             directory is now offline
     */
    public int flushTails(long budgetBytes) {
        List<Log> open = new ArrayList<>(logs.values());
        long[] pending = new long[open.size()];
        long total = 0;
        for (int i = 0; i < pending.length; i++) {
            pending[i] = open.get(i).bytesSinceTailFlush();
            total += pending[i];
        }
        if (total < budgetBytes) {
            return 0;
        }
        Integer[] largestFirst = new Integer[pending.length];
        for (int i = 0; i < largestFirst.length; i++) {
            largestFirst[i] = i;
        }
        java.util.Arrays.sort(largestFirst, (a, b) -> Long.compare(pending[b], pending[a]));
        int flushed = 0;
        for (int i : largestFirst) {
            if (total < budgetBytes / 2 || pending[i] == 0 || context.failures().isOffline()) {
                break;
            }
            if (open.get(i).flushTail()) {
                flushed++;
            }
            total -= pending[i];
        }
        if (flushed > 0) {
            writeRecoveryPoints();
        }
        return flushed;
    }

    private synchronized void writeRecoveryPoints() {
        if (closed || context.failures().isOffline()) {
            return;
        }
        try {
            writeRecoveryPointCheckpoint(Map.of());
        } catch (IOException e) {
            throw context.failures().fail("Write of the recovery-point checkpoint", checkpoint.file(), e);
        }
    }

    /**
     * Writes every partition's recovery point, {@code opening}'s taking precedence (a log about to be published),
     * under {@code recoveryPointFile}: writes come from this manager's lock, the tail flush and a log's open.
     */
    private void writeRecoveryPointCheckpoint(Map<TopicPartition, Long> opening) throws IOException {
        synchronized (recoveryPointFile) {
            Map<TopicPartition, Long> points = currentRecoveryPoints();
            points.putAll(opening);
            checkpoint.write(points);
        }
    }

    private Map<TopicPartition, Long> currentRecoveryPoints() {
        Map<TopicPartition, Long> points = new TreeMap<>();
        for (UnopenedLog pending : unopened.values()) {
            points.put(pending.topicPartition(), pending.checkpointedRecoveryPoint());
        }
        for (Log log : logs.values()) { // after: one that opened meanwhile is in both, and the open log decides
            points.put(log.topicPartition(), log.recoveryPoint());
        }
        return points;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Syncs and closes every log, saves recovery points and leaves the clean-shutdown marker. Every log is
     * closed even if one fails; the marker is written only if all succeeded, so a failed close is followed by
     * a recovering open. An offline directory (see {@link LogDirFailureChannel}), or one that goes offline
     * here, is closed without writing anything more and without the marker; that is no failure of close, which
     * then returns normally. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // No log opens from now on; one opening now is published before this returns, and closed below.
        unopened.values().forEach(UnopenedLog::seal);
        KafkaStorageException failure = null;
        if (cleaner != null) {
            cleaner.close();
        }
        // Readers are gone: the files of removed segments may go before their delay.
        context.deleter().close();
        for (Log log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new KafkaStorageException(
                            "Could not close data directory " + dataDir + " cleanly: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean markerAttempted = false;
        try {
            if (failure == null && !context.failures().isOffline()) {
                writeRecoveryPointCheckpoint(Map.of());
                markerAttempted = true;
                writeCleanShutdownMarker(marker, unrecovered());
                LogFiles.syncDirectory(context.channels(), dataDir);
            }
        } catch (IOException e) {
            context.failures().fail("Clean shutdown of " + dataDir, marker, e);
            if (markerAttempted) {
                // The marker may exist though the sync that was to make everything before it durable failed:
                // left there, it would make the next open trust the logs and skip recovery.
                removeCleanShutdownMarker(marker);
            }
        } finally {
            releaseLock();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void writeCleanShutdownMarker(Path marker, java.util.Set<TopicPartition> unrecovered) throws IOException {
        CleanShutdownMarker.write(context.channels(), marker, unrecovered);
    }

    /** The partitions left by a crash that were never opened, so never recovered: the next open must recover them. */
    private java.util.Set<TopicPartition> unrecovered() {
        java.util.Set<TopicPartition> out = new java.util.HashSet<>();
        for (UnopenedLog pending : unopened.values()) {
            if (pending.needsRecovery() && pending.openedLog() == null) {
                out.add(pending.topicPartition());
            }
        }
        return out;
    }

    /**
     * Removes a clean-shutdown marker written by a close that then failed, and tries to make that durable. The
     * directory is offline by then, but this sync moves no recovery point: it can only make the next open
     * recover more, never less. If it fails too, the removal reaches the disk with the kernel's writeback, or
     * not at all on a disk that is failing; nothing more can be done here.
     */
    private void removeCleanShutdownMarker(Path marker) {
        try {
            LogFiles.delete(context.channels(), marker);
        } catch (IOException e) {
            LOG.error(
                    "Could not remove the clean-shutdown marker " + marker + " after a failed close: delete it before"
                            + " the next open, or that open will skip the recovery of " + dataDir,
                    e);
            return;
        }
        try {
            LogFiles.syncDirectory(context.channels(), dataDir);
        } catch (IOException e) {
            LOG.warn(
                    "Removed the clean-shutdown marker " + marker + " after a failed close, but could not sync "
                            + dataDir
                            + "; a crash before the kernel writes the directory back may leave the marker on disk",
                    e);
        }
    }

    /** Releases the directory without syncing or writing the marker, as a crash would leave it (tests). */
    public synchronized void crash() {
        if (closed) {
            return;
        }
        closed = true;
        unopened.values().forEach(UnopenedLog::seal);
        if (cleaner != null) {
            cleaner.stop();
        }
        for (Log log : logs.values()) {
            log.closeWithoutFlush();
        }
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
