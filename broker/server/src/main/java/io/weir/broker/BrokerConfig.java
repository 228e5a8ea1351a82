package io.weir.broker;

import io.weir.broker.network.ListenerConfig;
import io.weir.common.config.ConfigDef;
import io.weir.common.config.ConfigDef.Type;
import io.weir.common.config.ParsedConfig;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.transport.Transports;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An embedded broker's settings, parsed once from Kafka's broker keys. Immutable.
 *
 * <p>Weir-specific keys start with {@code weir.}: the number of append rings, their size and wait strategy, and
 * the name an embedded broker registers under in this JVM ({@code weir.embedded.name}: clients reach it at
 * {@code bootstrap.servers=embedded:<name>}; without it the broker is named {@code broker-<node.id>-<n>}). The flush
 * policy is Weir's too, under a Kafka-like key ({@code log.flush.policy}: {@code os} — Kafka's default, an
 * acknowledgement means the batch is in the OS page cache and survives a process crash but not a power loss;
 * {@code every-batch} — an acknowledgement means the batch was fsynced; {@code interval} — fsync every
 * {@code log.flush.interval.ms}).
 *
 * <p>What a crash leaves to check: recovery checks each partition from its last saved recovery point, so a
 * background flush bounds that under every policy (under {@code os} nothing else moves it inside the active segment;
 * under {@code every-batch} the syncs leave the offset index and the saved point behind): every
 * {@code log.flush.scheduler.interval.ms} (Kafka's key; 100 ms here, never in Kafka) the maintenance thread checks
 * whether the open partitions hold {@code log.flush.interval.bytes} (default 32 MiB, for the whole data directory;
 * Kafka has only the per-partition {@code log.flush.interval.messages}, default never, checked on the append path)
 * appended since their last such flush, and if so flushes the partitions holding most, largest first, until under
 * half of it is left: their data synced, their index entries and a producer-state snapshot written, and the recovery
 * points saved. The tail a crash leaves is then about that budget plus what is appended during one check and one
 * sync. It never runs on the append path; appends wait only for the snapshot write and the aborted-transaction index
 * sync, under the log's lock, as at a segment roll.
 *
 * <p>With {@code listeners} set the broker also serves the Kafka protocol on a socket (see {@link ListenerConfig}).
 *
 * @param embeddedName the name given by {@code weir.embedded.name}; null when the broker makes one up
 * @param listener     the Kafka-protocol listener; {@link ListenerConfig#NONE} when {@code listeners} is unset
 */
public record BrokerConfig(
        Path logDir,
        int nodeId,
        String clusterId,
        int numPartitions,
        boolean autoCreateTopics,
        LogConfig logDefaults,
        FlushPolicy flushPolicy,
        long flushIntervalMs,
        long retentionCheckIntervalMs,
        long recoveryPointCheckpointIntervalMs,
        long flushIntervalBytes,
        long flushSchedulerIntervalMs,
        int appendRings,
        int appendRingSize,
        AppendWaitStrategy appendWaitStrategy,
        int fetchThreads,
        GroupCoordinatorConfig groups,
        TransactionConfig transactions,
        CleanerConfig cleaner,
        String embeddedName,
        ListenerConfig listener) {

    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NODE_ID = "node.id";
    public static final String CLUSTER_ID = "cluster.id";
    /** {@code cluster.id} unset: a new data directory gets a random id. */
    static final String DEFAULT_CLUSTER_ID = "weir-embedded";

    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_LOAD_FACTOR = "log.cleaner.io.buffer.load.factor";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String LOG_FLUSH_POLICY = "log.flush.policy";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String LOG_FLUSH_INTERVAL_BYTES = "log.flush.interval.bytes";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    /** {@code log.flush.interval.bytes} by default: 32 MiB, so a crash leaves about 64 MiB at most to check. */
    public static final long DEFAULT_FLUSH_INTERVAL_BYTES = 32L * 1024 * 1024;

    public static final String APPEND_RINGS = "weir.append.rings";
    public static final String APPEND_RING_SIZE = "weir.append.ring.size";
    public static final String APPEND_WAIT_STRATEGY = "weir.append.wait.strategy";
    public static final String FETCH_THREADS = "weir.fetch.threads";
    public static final String EMBEDDED_NAME = Transports.EMBEDDED_NAME_CONFIG;
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSETS_COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    public static final String TRANSACTION_STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    public static final String TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS =
            "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String TRANSACTION_REMOVE_EXPIRED_INTERVAL_MS =
            "transaction.remove.expired.transaction.cleanup.interval.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    public static final String TRANSACTION_HANGING_ABORT_MS = "weir.transaction.hanging.abort.ms";
    public static final String LISTENERS = ListenerConfig.LISTENERS;
    public static final String ADVERTISED_LISTENERS = ListenerConfig.ADVERTISED_LISTENERS;
    public static final String SOCKET_REQUEST_MAX_BYTES = ListenerConfig.SOCKET_REQUEST_MAX_BYTES;
    public static final String CONNECTIONS_MAX_IDLE_MS = ListenerConfig.CONNECTIONS_MAX_IDLE_MS;
    public static final String FETCH_MAX_BYTES = ListenerConfig.FETCH_MAX_BYTES;
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS =
            ListenerConfig.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS;
    public static final String QUEUED_MAX_REQUESTS = ListenerConfig.QUEUED_MAX_REQUESTS;
    public static final String QUEUED_MAX_REQUEST_BYTES = ListenerConfig.QUEUED_MAX_REQUEST_BYTES;

    /** The topic key each broker-wide {@code log.*} key is the default of. */
    private static final Map<String, String> TOPIC_KEY_OF = Map.ofEntries(
            Map.entry(LOG_SEGMENT_BYTES, TopicConfig.SEGMENT_BYTES_CONFIG),
            Map.entry(LOG_ROLL_MS, TopicConfig.SEGMENT_MS_CONFIG),
            Map.entry(LOG_RETENTION_MS, TopicConfig.RETENTION_MS_CONFIG),
            Map.entry(LOG_RETENTION_BYTES, TopicConfig.RETENTION_BYTES_CONFIG),
            Map.entry(MESSAGE_MAX_BYTES, TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
            Map.entry(LOG_INDEX_INTERVAL_BYTES, TopicConfig.INDEX_INTERVAL_BYTES_CONFIG),
            Map.entry(LOG_INDEX_SIZE_MAX_BYTES, TopicConfig.SEGMENT_INDEX_BYTES_CONFIG),
            Map.entry(LOG_SEGMENT_DELETE_DELAY_MS, TopicConfig.FILE_DELETE_DELAY_MS_CONFIG),
            Map.entry(LOG_CLEANUP_POLICY, TopicConfig.CLEANUP_POLICY_CONFIG),
            Map.entry(LOG_CLEANER_DELETE_RETENTION_MS, TopicConfig.DELETE_RETENTION_MS_CONFIG),
            Map.entry(LOG_CLEANER_MIN_CLEANABLE_RATIO, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG),
            Map.entry(LOG_CLEANER_MIN_COMPACTION_LAG_MS, TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG),
            Map.entry(LOG_CLEANER_MAX_COMPACTION_LAG_MS, TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG));

    private static final ConfigDef DEF = new ConfigDef()
            .define(LOG_DIRS, Type.LIST, "", "The data directory (one); empty means a fresh temporary directory")
            .define(LOG_DIR, Type.STRING, "", "Alias of log.dirs with a single directory")
            .define(NODE_ID, Type.INT, 0, ConfigDef.atLeast(0), "This broker's id")
            .define(
                    CLUSTER_ID,
                    Type.STRING,
                    DEFAULT_CLUSTER_ID,
                    "The cluster id a new data directory keeps (in meta.properties); the default: a random id")
            .define(NUM_PARTITIONS, Type.INT, 1, ConfigDef.atLeast(1), "Partitions of an auto-created topic")
            .define(AUTO_CREATE_TOPICS_ENABLE, Type.BOOLEAN, true, "Create a topic on first metadata request for it")
            .define(
                    LOG_SEGMENT_BYTES,
                    Type.INT,
                    LogConfig.DEFAULTS.segmentBytes(),
                    ConfigDef.atLeast(14),
                    "Default segment.bytes")
            .define(LOG_ROLL_MS, Type.LONG, LogConfig.DEFAULTS.segmentMs(), ConfigDef.atLeast(1), "Default segment.ms")
            .define(
                    LOG_RETENTION_MS,
                    Type.LONG,
                    LogConfig.DEFAULTS.retentionMs(),
                    ConfigDef.atLeast(-1),
                    "Default retention.ms")
            .define(
                    LOG_RETENTION_BYTES,
                    Type.LONG,
                    LogConfig.DEFAULTS.retentionBytes(),
                    ConfigDef.atLeast(-1),
                    "Default retention.bytes")
            .define(
                    MESSAGE_MAX_BYTES,
                    Type.INT,
                    LogConfig.DEFAULTS.maxMessageBytes(),
                    ConfigDef.atLeast(0),
                    "Default max.message.bytes")
            .define(
                    LOG_INDEX_INTERVAL_BYTES,
                    Type.INT,
                    LogConfig.DEFAULTS.indexIntervalBytes(),
                    ConfigDef.atLeast(0),
                    "Default index.interval.bytes")
            .define(
                    LOG_INDEX_SIZE_MAX_BYTES,
                    Type.INT,
                    LogConfig.DEFAULTS.segmentIndexBytes(),
                    ConfigDef.atLeast(8),
                    "Default segment.index.bytes")
            .define(
                    LOG_SEGMENT_DELETE_DELAY_MS,
                    Type.LONG,
                    LogConfig.DEFAULTS.fileDeleteDelayMs(),
                    ConfigDef.atLeast(0),
                    "Default file.delete.delay.ms")
            .define(
                    LOG_RETENTION_CHECK_INTERVAL_MS,
                    Type.LONG,
                    300_000L,
                    ConfigDef.atLeast(1),
                    "How often retention runs")
            .define(
                    LOG_CLEANUP_POLICY,
                    Type.STRING,
                    LogConfig.DEFAULTS.cleanupPolicy().toString(),
                    (name, value) -> CleanupPolicy.forConfigValue((String) value),
                    "Default cleanup.policy")
            .define(
                    LOG_CLEANER_DELETE_RETENTION_MS,
                    Type.LONG,
                    LogConfig.DEFAULTS.deleteRetentionMs(),
                    ConfigDef.atLeast(0),
                    "Default delete.retention.ms")
            .define(
                    LOG_CLEANER_MIN_CLEANABLE_RATIO,
                    Type.DOUBLE,
                    LogConfig.DEFAULTS.minCleanableDirtyRatio(),
                    ConfigDef.range(0, 1),
                    "Default min.cleanable.dirty.ratio")
            .define(
                    LOG_CLEANER_MIN_COMPACTION_LAG_MS,
                    Type.LONG,
                    LogConfig.DEFAULTS.minCompactionLagMs(),
                    ConfigDef.atLeast(0),
                    "Default min.compaction.lag.ms")
            .define(
                    LOG_CLEANER_MAX_COMPACTION_LAG_MS,
                    Type.LONG,
                    LogConfig.DEFAULTS.maxCompactionLagMs(),
                    ConfigDef.atLeast(1),
                    "Default max.compaction.lag.ms")
            .define(
                    LOG_CLEANER_ENABLE,
                    Type.BOOLEAN,
                    CleanerConfig.DEFAULTS.enabled(),
                    "Run the log cleaner on compacted topics")
            .define(
                    LOG_CLEANER_THREADS,
                    Type.INT,
                    CleanerConfig.DEFAULTS.threads(),
                    ConfigDef.atLeast(1),
                    "Log cleaner threads")
            .define(
                    LOG_CLEANER_DEDUPE_BUFFER_SIZE,
                    Type.LONG,
                    CleanerConfig.DEFAULTS.dedupeBufferSize(),
                    ConfigDef.atLeast(0),
                    "Key-to-offset map memory, shared by the cleaner threads")
            .define(
                    LOG_CLEANER_IO_BUFFER_SIZE,
                    Type.INT,
                    CleanerConfig.DEFAULTS.ioBufferSize(),
                    ConfigDef.atLeast(0),
                    "Read and write buffer memory, shared by the cleaner threads")
            .define(
                    LOG_CLEANER_IO_BUFFER_LOAD_FACTOR,
                    Type.DOUBLE,
                    CleanerConfig.DEFAULTS.loadFactor(),
                    ConfigDef.range(0, 1),
                    "How full the key-to-offset map may get")
            .define(
                    LOG_CLEANER_BACKOFF_MS,
                    Type.LONG,
                    CleanerConfig.DEFAULTS.backoffMs(),
                    ConfigDef.atLeast(0),
                    "Sleep of an idle cleaner thread")
            .define(
                    LOG_FLUSH_POLICY,
                    Type.STRING,
                    "os",
                    ConfigDef.in("os", "every-batch", "interval"),
                    "When appends are fsynced")
            .define(
                    LOG_FLUSH_INTERVAL_MS,
                    Type.LONG,
                    1000L,
                    ConfigDef.atLeast(1),
                    "Sync interval for log.flush.policy=interval")
            .define(
                    LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS,
                    Type.LONG,
                    60_000L,
                    ConfigDef.atLeast(1),
                    "How often recovery points are saved")
            .define(
                    LOG_FLUSH_INTERVAL_BYTES,
                    Type.LONG,
                    DEFAULT_FLUSH_INTERVAL_BYTES,
                    ConfigDef.atLeast(1),
                    "Bytes appended to the data directory's partitions since their last background flush at which"
                            + " the largest are synced and their recovery points saved, bounding what recovery after a"
                            + " crash checks (Long.MAX_VALUE: never)")
            .define(
                    LOG_FLUSH_SCHEDULER_INTERVAL_MS,
                    Type.LONG,
                    100L,
                    ConfigDef.atLeast(1),
                    "How often the background flusher checks log.flush.interval.bytes")
            .define(
                    APPEND_RINGS,
                    Type.INT,
                    1,
                    ConfigDef.range(1, 64),
                    "Disruptor rings (append threads) partitions are sharded over")
            .define(APPEND_RING_SIZE, Type.INT, 1024, ConfigDef.range(2, 1 << 20), "Slots per ring (a power of two)")
            .define(
                    APPEND_WAIT_STRATEGY,
                    Type.STRING,
                    AppendWaitStrategy.BLOCKING.toString(),
                    (name, value) -> AppendWaitStrategy.forConfigValue((String) value),
                    "How an idle append thread waits for work")
            .define(FETCH_THREADS, Type.INT, 1, ConfigDef.range(1, 64), "Threads completing long-poll fetches")
            .define(
                    EMBEDDED_NAME,
                    Type.STRING,
                    "",
                    BrokerConfig::validateEmbeddedName,
                    "The name this broker registers under in the JVM: clients reach it with"
                            + " bootstrap.servers=embedded:<name>. Letters, digits, '.', '_' and '-'; empty: a made-up"
                            + " broker-<node.id>-<n>. Opening a second broker of the same name in the JVM fails")
            .define(
                    GROUP_MIN_SESSION_TIMEOUT_MS,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.minSessionTimeoutMs(),
                    ConfigDef.atLeast(0),
                    "Shortest session.timeout.ms a group member may ask for")
            .define(
                    GROUP_MAX_SESSION_TIMEOUT_MS,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.maxSessionTimeoutMs(),
                    ConfigDef.atLeast(0),
                    "Longest session.timeout.ms a group member may ask for")
            .define(
                    GROUP_INITIAL_REBALANCE_DELAY_MS,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.initialRebalanceDelayMs(),
                    ConfigDef.atLeast(0),
                    "How long the first rebalance of an empty group waits for more members")
            .define(
                    GROUP_MAX_SIZE,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.maxSize(),
                    ConfigDef.atLeast(1),
                    "Most members in a group")
            .define(
                    OFFSET_METADATA_MAX_BYTES,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.offsetMetadataMaxBytes(),
                    ConfigDef.atLeast(0),
                    "Longest metadata string of a committed offset")
            .define(
                    OFFSETS_TOPIC_NUM_PARTITIONS,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.offsetsTopicPartitions(),
                    ConfigDef.atLeast(1),
                    "Partitions of __consumer_offsets when it is created")
            .define(
                    OFFSETS_TOPIC_SEGMENT_BYTES,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.offsetsTopicSegmentBytes(),
                    ConfigDef.atLeast(14),
                    "segment.bytes of __consumer_offsets when it is created")
            .define(
                    OFFSETS_COMMIT_TIMEOUT_MS,
                    Type.INT,
                    GroupCoordinatorConfig.DEFAULTS.offsetCommitTimeoutMs(),
                    ConfigDef.atLeast(1),
                    "How long an offset commit may wait for room on the write path")
            .define(
                    TRANSACTION_MAX_TIMEOUT_MS,
                    Type.INT,
                    TransactionConfig.DEFAULTS.maxTimeoutMs(),
                    ConfigDef.atLeast(1),
                    "Longest transaction.timeout.ms a producer may ask for")
            .define(
                    TRANSACTIONAL_ID_EXPIRATION_MS,
                    Type.LONG,
                    TransactionConfig.DEFAULTS.transactionalIdExpirationMs(),
                    ConfigDef.atLeast(1),
                    "How long an idle transactional id is remembered")
            .define(
                    TRANSACTION_STATE_LOG_NUM_PARTITIONS,
                    Type.INT,
                    TransactionConfig.DEFAULTS.stateLogPartitions(),
                    ConfigDef.atLeast(1),
                    "Partitions of __transaction_state when it is created")
            .define(
                    TRANSACTION_STATE_LOG_SEGMENT_BYTES,
                    Type.INT,
                    TransactionConfig.DEFAULTS.stateLogSegmentBytes(),
                    ConfigDef.atLeast(14),
                    "segment.bytes of __transaction_state")
            .define(
                    TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS,
                    Type.LONG,
                    TransactionConfig.DEFAULTS.abortTimedOutIntervalMs(),
                    ConfigDef.atLeast(1),
                    "How often the coordinator aborts transactions past their timeout")
            .define(
                    TRANSACTION_REMOVE_EXPIRED_INTERVAL_MS,
                    Type.LONG,
                    TransactionConfig.DEFAULTS.removeExpiredIntervalMs(),
                    ConfigDef.atLeast(1),
                    "How often the coordinator forgets expired transactional ids")
            .define(
                    PRODUCER_ID_EXPIRATION_MS,
                    Type.LONG,
                    TransactionConfig.DEFAULTS.producerIdExpirationMs(),
                    ConfigDef.atLeast(1),
                    "How long a partition remembers a producer that sends nothing")
            .define(
                    PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
                    Type.LONG,
                    TransactionConfig.DEFAULTS.producerIdExpirationCheckMs(),
                    ConfigDef.atLeast(1),
                    "How often partitions drop expired producers")
            .define(
                    TRANSACTION_HANGING_ABORT_MS,
                    Type.LONG,
                    TransactionConfig.DEFAULTS.hangingAbortMs(),
                    ConfigDef.atLeast(-1),
                    "Abort a partition's hanging transaction automatically after this bound past transaction.max.timeout.ms; -1 never")
            .define(
                    LISTENERS,
                    Type.LIST,
                    "",
                    "Where the Kafka-protocol listener binds, e.g. PLAINTEXT://127.0.0.1:9092 (port 0: a free port);"
                            + " empty: no listener, clients reach the broker in-process only")
            .define(
                    ADVERTISED_LISTENERS,
                    Type.LIST,
                    "",
                    "The address clients are told in Metadata and FindCoordinator answers; empty: the bound address")
            .define(
                    SOCKET_REQUEST_MAX_BYTES,
                    Type.INT,
                    ListenerConfig.DEFAULT_SOCKET_REQUEST_MAX_BYTES,
                    ConfigDef.atLeast(1),
                    "The largest request a connection may send; a larger frame closes the connection")
            .define(
                    CONNECTIONS_MAX_IDLE_MS,
                    Type.LONG,
                    ListenerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS,
                    ConfigDef.atLeast(1),
                    "Close a listener connection that has had no traffic and no request in flight for this long")
            .define(
                    FETCH_MAX_BYTES,
                    Type.INT,
                    ListenerConfig.DEFAULT_FETCH_MAX_BYTES,
                    ConfigDef.atLeast(0),
                    "The most record bytes one Fetch answer over the listener carries, whatever the client asks for"
                            + " (at least one batch is always returned so a consumer can progress)")
            .define(
                    MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS,
                    Type.INT,
                    ListenerConfig.DEFAULT_MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS,
                    ConfigDef.atLeast(0),
                    "The most incremental fetch sessions (KIP-227) the listener keeps; 0 serves every fetch in full")
            .define(
                    QUEUED_MAX_REQUESTS,
                    Type.INT,
                    ListenerConfig.DEFAULT_QUEUED_MAX_REQUESTS,
                    ConfigDef.atLeast(1),
                    "The most requests read from all listener connections and not yet handed to the broker (a"
                            + " request the broker holds, such as a long-poll fetch, no longer counts); at the bound"
                            + " every connection stops reading until requests are handed over")
            .define(
                    QUEUED_MAX_REQUEST_BYTES,
                    Type.LONG,
                    ListenerConfig.DEFAULT_QUEUED_MAX_REQUEST_BYTES,
                    ConfigDef.atLeast(-1),
                    "The most bytes of requests read from all listener connections (-1 or 0: no bound): a"
                            + " request's bytes count until it is handed to the broker, a produce's until the broker"
                            + " answers it (its batches are held until appended), even if its connection closed; at"
                            + " the bound every connection stops reading until bytes are freed");

    private static void validateEmbeddedName(String key, Object value) {
        String name = (String) value;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '.' && c != '_' && c != '-') {
                throw new InvalidConfigurationException("Invalid value '" + name + "' for configuration " + key
                        + ": character '" + c + "' at index " + i + " is not one of ASCII letters, digits, '.', '_' "
                        + "and '-' (the name goes into bootstrap.servers=embedded:<name>)");
            }
        }
    }

    public BrokerConfig {
        if (embeddedName != null) {
            validateEmbeddedName(EMBEDDED_NAME, embeddedName);
            if (embeddedName.isEmpty()) {
                throw new InvalidConfigurationException(
                        EMBEDDED_NAME + " must not be empty; leave it unset for a made-up name");
            }
        }
        if (Integer.bitCount(appendRingSize) != 1) {
            throw new InvalidConfigurationException(
                    APPEND_RING_SIZE + "=" + appendRingSize + " must be a power of two");
        }
    }

    public static BrokerConfig from(Properties properties) {
        return from(DEF.parse(properties));
    }

    public static BrokerConfig from(Map<String, ?> map) {
        return from(DEF.parse(map));
    }

    /** Defaults with a fresh temporary data directory. */
    public static BrokerConfig defaults() {
        return from(Map.of());
    }

    private static BrokerConfig from(ParsedConfig c) {
        List<String> dirs = c.getList(LOG_DIRS);
        if (dirs.isEmpty() && !c.getString(LOG_DIR).isEmpty()) {
            dirs = List.of(c.getString(LOG_DIR));
        }
        if (dirs.size() > 1) {
            throw new InvalidConfigurationException(LOG_DIRS + "=" + dirs + " names " + dirs.size()
                    + " directories; an embedded broker uses exactly one");
        }
        Path dir = dirs.isEmpty() ? null : Path.of(dirs.get(0));
        Map<String, Object> topicDefaults = new HashMap<>();
        TOPIC_KEY_OF.forEach((brokerKey, topicKey) -> topicDefaults.put(topicKey, c.get(brokerKey)));
        LogConfig logDefaults = LogConfig.withOverrides(LogConfig.DEFAULTS, topicDefaults);
        long flushInterval = c.getLong(LOG_FLUSH_INTERVAL_MS);
        FlushPolicy policy =
                switch (c.getString(LOG_FLUSH_POLICY)) {
                    case "every-batch" -> FlushPolicy.EVERY_BATCH;
                    case "interval" -> FlushPolicy.interval(flushInterval);
                    default -> FlushPolicy.OS;
                };
        return new BrokerConfig(
                dir,
                c.getInt(NODE_ID),
                c.getString(CLUSTER_ID),
                c.getInt(NUM_PARTITIONS),
                c.getBoolean(AUTO_CREATE_TOPICS_ENABLE),
                logDefaults,
                policy,
                flushInterval,
                c.getLong(LOG_RETENTION_CHECK_INTERVAL_MS),
                c.getLong(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS),
                c.getLong(LOG_FLUSH_INTERVAL_BYTES),
                c.getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS),
                c.getInt(APPEND_RINGS),
                c.getInt(APPEND_RING_SIZE),
                AppendWaitStrategy.forConfigValue(c.getString(APPEND_WAIT_STRATEGY)),
                c.getInt(FETCH_THREADS),
                new GroupCoordinatorConfig(
                        c.getInt(GROUP_MIN_SESSION_TIMEOUT_MS),
                        c.getInt(GROUP_MAX_SESSION_TIMEOUT_MS),
                        c.getInt(GROUP_INITIAL_REBALANCE_DELAY_MS),
                        c.getInt(GROUP_MAX_SIZE),
                        c.getInt(OFFSET_METADATA_MAX_BYTES),
                        c.getInt(OFFSETS_TOPIC_NUM_PARTITIONS),
                        c.getInt(OFFSETS_TOPIC_SEGMENT_BYTES),
                        c.getInt(OFFSETS_COMMIT_TIMEOUT_MS)),
                new TransactionConfig(
                        c.getInt(TRANSACTION_MAX_TIMEOUT_MS),
                        c.getLong(TRANSACTIONAL_ID_EXPIRATION_MS),
                        c.getInt(TRANSACTION_STATE_LOG_NUM_PARTITIONS),
                        c.getInt(TRANSACTION_STATE_LOG_SEGMENT_BYTES),
                        c.getLong(TRANSACTION_ABORT_TIMED_OUT_INTERVAL_MS),
                        c.getLong(TRANSACTION_REMOVE_EXPIRED_INTERVAL_MS),
                        c.getLong(PRODUCER_ID_EXPIRATION_MS),
                        c.getLong(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS),
                        c.getLong(TRANSACTION_HANGING_ABORT_MS)),
                new CleanerConfig(
                        c.getBoolean(LOG_CLEANER_ENABLE),
                        c.getInt(LOG_CLEANER_THREADS),
                        c.getLong(LOG_CLEANER_DEDUPE_BUFFER_SIZE),
                        c.getInt(LOG_CLEANER_IO_BUFFER_SIZE),
                        c.getDouble(LOG_CLEANER_IO_BUFFER_LOAD_FACTOR),
                        c.getLong(LOG_CLEANER_BACKOFF_MS)),
                c.getString(EMBEDDED_NAME).isEmpty() ? null : c.getString(EMBEDDED_NAME),
                ListenerConfig.parse(
                        c.getList(LISTENERS),
                        c.getList(ADVERTISED_LISTENERS),
                        c.getInt(SOCKET_REQUEST_MAX_BYTES),
                        c.getLong(CONNECTIONS_MAX_IDLE_MS),
                        c.getInt(FETCH_MAX_BYTES),
                        c.getInt(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS),
                        c.getInt(QUEUED_MAX_REQUESTS),
                        c.getLong(QUEUED_MAX_REQUEST_BYTES)));
    }

    /** A copy using {@code dir} as the data directory. */
    public BrokerConfig withLogDir(Path dir) {
        return new BrokerConfig(
                dir,
                nodeId,
                clusterId,
                numPartitions,
                autoCreateTopics,
                logDefaults,
                flushPolicy,
                flushIntervalMs,
                retentionCheckIntervalMs,
                recoveryPointCheckpointIntervalMs,
                flushIntervalBytes,
                flushSchedulerIntervalMs,
                appendRings,
                appendRingSize,
                appendWaitStrategy,
                fetchThreads,
                groups,
                transactions,
                cleaner,
                embeddedName,
                listener);
    }

    /** A copy reporting {@code id} as the cluster id (the broker's data directory keeps the one it was given). */
    public BrokerConfig withClusterId(String id) {
        return new BrokerConfig(
                logDir,
                nodeId,
                id,
                numPartitions,
                autoCreateTopics,
                logDefaults,
                flushPolicy,
                flushIntervalMs,
                retentionCheckIntervalMs,
                recoveryPointCheckpointIntervalMs,
                flushIntervalBytes,
                flushSchedulerIntervalMs,
                appendRings,
                appendRingSize,
                appendWaitStrategy,
                fetchThreads,
                groups,
                transactions,
                cleaner,
                embeddedName,
                listener);
    }
}
