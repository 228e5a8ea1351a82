package io.weir.clients.consumer;

import io.weir.clients.producer.ProducerConfig;
import io.weir.common.serialization.Deserializer;
import io.weir.common.IsolationLevel;
import io.weir.common.config.ConfigDef;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The typed, immutable configuration of a {@link Consumer}: Kafka's consumer keys, parsed once
 * ({@link #from(Map)}, {@link #from(Properties)}) or built fluently ({@link #builder()}), validated in the
 * constructor both paths share. Defaults are Kafka's. The consumer-group keys live in {@link GroupOptions}.
 */
public record ConsumerConfig(
        List<String> bootstrapServers, String clientId, String groupId, OffsetResetStrategy autoOffsetReset,
        IsolationLevel isolationLevel, int maxPollRecords, int fetchMinBytes, int fetchMaxWaitMs, int fetchMaxBytes,
        int maxPartitionFetchBytes, int requestTimeoutMs, long defaultApiTimeoutMs, long retryBackoffMs,
        long metadataMaxAgeMs, boolean checkCrcs, Class<?> keyDeserializer, Class<?> valueDeserializer,
        GroupOptions group, Map<String, Object> originals) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String GROUP_ID = "group.id";
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    public static final String ISOLATION_LEVEL = "isolation.level";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String CHECK_CRCS = "check.crcs";
    public static final String KEY_DESERIALIZER = "key.deserializer";
    public static final String VALUE_DESERIALIZER = "value.deserializer";
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    public static final String PARTITION_ASSIGNMENT_STRATEGY = "partition.assignment.strategy";
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    public static final String EXCLUDE_INTERNAL_TOPICS = "exclude.internal.topics";

    /**
     * How a consumer takes part in its group ({@code group.id}); ignored with manual assignment.
     *
     * @param groupInstanceId      {@code group.instance.id}: makes the member static, so a restart within the
     *                             session timeout gets its partitions back with no rebalance; null for dynamic
     * @param sessionTimeoutMs     {@code session.timeout.ms}: a member silent this long is removed
     * @param heartbeatIntervalMs  {@code heartbeat.interval.ms}: how often the background heartbeat runs
     * @param maxPollIntervalMs    {@code max.poll.interval.ms}: a member that does not call poll this long leaves
     *                             the group; also the rebalance timeout it gives the broker
     * @param assignmentStrategies {@code partition.assignment.strategy}: assignor names or class names, preferred first
     * @param enableAutoCommit     {@code enable.auto.commit}: commit consumed positions every
     *                             {@code auto.commit.interval.ms} from poll, before a revocation and on close
     */
    public record GroupOptions(String groupInstanceId, int sessionTimeoutMs, int heartbeatIntervalMs, int maxPollIntervalMs,
                               List<String> assignmentStrategies, boolean enableAutoCommit, long autoCommitIntervalMs,
                               boolean excludeInternalTopics) {
        public static final GroupOptions DEFAULTS = new GroupOptions(null, 45_000, 3_000, 300_000,
                List.of("range", "cooperative-sticky"), true, 5_000, true);

        public GroupOptions {
            assignmentStrategies = List.copyOf(assignmentStrategies);
            if (groupInstanceId != null && groupInstanceId.isBlank()) {
                throw new InvalidConfigurationException(GROUP_INSTANCE_ID + " must not be empty when set");
            }
            ConfigDef.requireAtLeast(SESSION_TIMEOUT_MS, sessionTimeoutMs, 1);
            ConfigDef.requireAtLeast(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs, 1);
            ConfigDef.requireAtLeast(MAX_POLL_INTERVAL_MS, maxPollIntervalMs, 1);
            ConfigDef.requireAtLeast(AUTO_COMMIT_INTERVAL_MS, autoCommitIntervalMs, 0);
            if (heartbeatIntervalMs >= sessionTimeoutMs) {
                throw new InvalidConfigurationException(HEARTBEAT_INTERVAL_MS + "=" + heartbeatIntervalMs + " must be lower than "
                        + SESSION_TIMEOUT_MS + "=" + sessionTimeoutMs + ", or the member would time out between heartbeats");
            }
            // Resolves every name now, so an unknown assignor fails at construction, naming the value.
            io.weir.clients.consumer.internals.Assignors.forNames(assignmentStrategies);
        }

        public GroupOptions withEnableAutoCommit(boolean enabled) {
            return new GroupOptions(groupInstanceId, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs,
                    assignmentStrategies, enabled, autoCommitIntervalMs, excludeInternalTopics);
        }
    }

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT, ConfigDef.nonEmptyList(),
                    "Where the broker is: embedded:<name> for an embedded broker.")
            .define(CLIENT_ID, ConfigDef.Type.STRING, "", "A name for this client in logs and errors.")
            .define(GROUP_ID, ConfigDef.Type.STRING, null, "The consumer group; needed by subscribe and commits.")
            .define(AUTO_OFFSET_RESET, ConfigDef.Type.STRING, "latest", ConfigDef.in("earliest", "latest", "none"),
                    "Where to start when a partition has no position or it is out of range.")
            .define(ISOLATION_LEVEL, ConfigDef.Type.STRING, "read_uncommitted", ConfigDef.in("read_uncommitted", "read_committed"),
                    "read_committed returns only committed transactional records.")
            .define(MAX_POLL_RECORDS, ConfigDef.Type.INT, 500, ConfigDef.atLeast(1), "Most records one poll returns.")
            .define(FETCH_MIN_BYTES, ConfigDef.Type.INT, 1, ConfigDef.atLeast(0), "Bytes the broker waits for before answering a fetch.")
            .define(FETCH_MAX_WAIT_MS, ConfigDef.Type.INT, 500, ConfigDef.atLeast(0), "Longest the broker holds a fetch waiting for fetch.min.bytes.")
            .define(FETCH_MAX_BYTES, ConfigDef.Type.INT, 52_428_800, ConfigDef.atLeast(0), "Most bytes one fetch returns (at least one batch).")
            .define(MAX_PARTITION_FETCH_BYTES, ConfigDef.Type.INT, 1_048_576, ConfigDef.atLeast(0), "Most bytes per partition in one fetch.")
            .define(REQUEST_TIMEOUT_MS, ConfigDef.Type.INT, 30_000, ConfigDef.atLeast(0), "How long to wait for an answer to a request.")
            .define(DEFAULT_API_TIMEOUT_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.atLeast(0), "Timeout of blocking calls that take none.")
            .define(RETRY_BACKOFF_MS, ConfigDef.Type.LONG, 100L, ConfigDef.atLeast(0), "Wait before asking again after a failure.")
            .define(METADATA_MAX_AGE_MS, ConfigDef.Type.LONG, 300_000L, ConfigDef.atLeast(0), "Age after which topic metadata is refreshed.")
            .define(CHECK_CRCS, ConfigDef.Type.BOOLEAN, true, "Verify the CRC of every fetched batch.")
            .define(KEY_DESERIALIZER, ConfigDef.Type.CLASS, null, "A Deserializer class for keys, when none is passed in code.")
            .define(VALUE_DESERIALIZER, ConfigDef.Type.CLASS, null, "A Deserializer class for values, when none is passed in code.")
            .define(GROUP_INSTANCE_ID, ConfigDef.Type.STRING, null, "Static membership: a restart with the same id keeps its partitions.")
            .define(SESSION_TIMEOUT_MS, ConfigDef.Type.INT, GroupOptions.DEFAULTS.sessionTimeoutMs(), ConfigDef.atLeast(1),
                    "A member without a heartbeat for this long is removed from the group.")
            .define(HEARTBEAT_INTERVAL_MS, ConfigDef.Type.INT, GroupOptions.DEFAULTS.heartbeatIntervalMs(), ConfigDef.atLeast(1),
                    "Time between background heartbeats.")
            .define(MAX_POLL_INTERVAL_MS, ConfigDef.Type.INT, GroupOptions.DEFAULTS.maxPollIntervalMs(), ConfigDef.atLeast(1),
                    "A member that does not poll for this long leaves its group.")
            .define(PARTITION_ASSIGNMENT_STRATEGY, ConfigDef.Type.LIST, String.join(",", GroupOptions.DEFAULTS.assignmentStrategies()),
                    ConfigDef.nonEmptyList(), "Assignors by preference: range, roundrobin, sticky, cooperative-sticky or class names.")
            .define(ENABLE_AUTO_COMMIT, ConfigDef.Type.BOOLEAN, null, "Commit positions in the background (default true with a group.id).")
            .define(AUTO_COMMIT_INTERVAL_MS, ConfigDef.Type.LONG, GroupOptions.DEFAULTS.autoCommitIntervalMs(), ConfigDef.atLeast(0),
                    "Time between automatic commits.")
            .define(EXCLUDE_INTERNAL_TOPICS, ConfigDef.Type.BOOLEAN, true, "Pattern subscriptions never match internal topics (__...).");

    public ConsumerConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        if (bootstrapServers.isEmpty()) {
            throw new InvalidConfigurationException("Configuration " + BOOTSTRAP_SERVERS + " must not be empty");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
        Objects.requireNonNull(isolationLevel, "isolationLevel");
        ConfigDef.requireAtLeast(MAX_POLL_RECORDS, maxPollRecords, 1);
        ConfigDef.requireAtLeast(FETCH_MIN_BYTES, fetchMinBytes, 0);
        ConfigDef.requireAtLeast(FETCH_MAX_WAIT_MS, fetchMaxWaitMs, 0);
        ConfigDef.requireAtLeast(FETCH_MAX_BYTES, fetchMaxBytes, 0);
        ConfigDef.requireAtLeast(MAX_PARTITION_FETCH_BYTES, maxPartitionFetchBytes, 0);
        ConfigDef.requireAtLeast(REQUEST_TIMEOUT_MS, requestTimeoutMs, 0);
        ConfigDef.requireAtLeast(DEFAULT_API_TIMEOUT_MS, defaultApiTimeoutMs, 0);
        ConfigDef.requireAtLeast(RETRY_BACKOFF_MS, retryBackoffMs, 0);
        if (requestTimeoutMs <= fetchMaxWaitMs) {
            throw new InvalidConfigurationException(REQUEST_TIMEOUT_MS + "=" + requestTimeoutMs + " must be larger than "
                    + FETCH_MAX_WAIT_MS + "=" + fetchMaxWaitMs + ", or every long poll would time out");
        }
        for (Class<?> c : new Class<?>[] {keyDeserializer, valueDeserializer}) {
            if (c != null && !Deserializer.class.isAssignableFrom(c)) {
                throw new InvalidConfigurationException("Invalid value " + c.getName() + " for a deserializer "
                        + "configuration: it does not implement " + Deserializer.class.getName());
            }
        }
        Objects.requireNonNull(group, "group");
        if (groupId != null && groupId.isEmpty()) {
            groupId = null; // Kafka treats an empty group.id as none
        }
        if (groupId == null && group.enableAutoCommit()) {
            group = group.withEnableAutoCommit(false);
        }
        originals = originals == null ? Map.of() : Map.copyOf(originals);
    }

    /** Whether the consumer belongs to a group (it may then subscribe and commit). */
    public boolean hasGroup() {
        return groupId != null;
    }

    public static ConsumerConfig from(Properties properties) {
        return from(DEFINITION.parse(properties));
    }

    public static ConsumerConfig from(Map<?, ?> configs) {
        return from(DEFINITION.parse(configs));
    }

    private static ConsumerConfig from(ParsedConfig c) {
        Map<String, Object> originals = new java.util.HashMap<>();
        c.originals().forEach((k, v) -> {
            if (k != null && v != null) {
                originals.put(String.valueOf(k), v);
            }
        });
        String groupId = c.getString(GROUP_ID);
        Object autoCommit = c.originals().get(ENABLE_AUTO_COMMIT);
        boolean enableAutoCommit;
        if (autoCommit == null) {
            enableAutoCommit = groupId != null && !groupId.isEmpty();
        } else {
            enableAutoCommit = c.getBoolean(ENABLE_AUTO_COMMIT);
            if (enableAutoCommit && (groupId == null || groupId.isEmpty())) {
                throw new InvalidConfigurationException(ENABLE_AUTO_COMMIT + "=true needs a " + GROUP_ID
                        + " to commit to; set group.id or enable.auto.commit=false");
            }
        }
        GroupOptions group = new GroupOptions(c.getString(GROUP_INSTANCE_ID), c.getInt(SESSION_TIMEOUT_MS),
                c.getInt(HEARTBEAT_INTERVAL_MS), c.getInt(MAX_POLL_INTERVAL_MS), c.getList(PARTITION_ASSIGNMENT_STRATEGY),
                enableAutoCommit, c.getLong(AUTO_COMMIT_INTERVAL_MS), c.getBoolean(EXCLUDE_INTERNAL_TOPICS));
        return new ConsumerConfig(c.getList(BOOTSTRAP_SERVERS), c.getString(CLIENT_ID), groupId,
                OffsetResetStrategy.forConfig(c.getString(AUTO_OFFSET_RESET)), IsolationLevel.forName(c.getString(ISOLATION_LEVEL)),
                c.getInt(MAX_POLL_RECORDS), c.getInt(FETCH_MIN_BYTES), c.getInt(FETCH_MAX_WAIT_MS), c.getInt(FETCH_MAX_BYTES),
                c.getInt(MAX_PARTITION_FETCH_BYTES), c.getInt(REQUEST_TIMEOUT_MS), c.getLong(DEFAULT_API_TIMEOUT_MS),
                c.getLong(RETRY_BACKOFF_MS), c.getLong(METADATA_MAX_AGE_MS), c.getBoolean(CHECK_CRCS),
                c.getClass(KEY_DESERIALIZER), c.getClass(VALUE_DESERIALIZER), group, originals);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction with Kafka's defaults; setters reject bad values at once. Not thread-safe. */
    public static final class Builder {
        private List<String> bootstrapServers;
        private String clientId = "";
        private OffsetResetStrategy autoOffsetReset = OffsetResetStrategy.LATEST;
        private IsolationLevel isolationLevel = IsolationLevel.READ_UNCOMMITTED;
        private int maxPollRecords = 500;
        private int fetchMinBytes = 1;
        private int fetchMaxWaitMs = 500;
        private int fetchMaxBytes = 52_428_800;
        private int maxPartitionFetchBytes = 1_048_576;
        private int requestTimeoutMs = 30_000;
        private long defaultApiTimeoutMs = 60_000;
        private String groupId;
        private GroupOptions group = GroupOptions.DEFAULTS;

        private Builder() {
        }

        /** Joins group {@code id}; auto-commit is on unless {@link #group} turns it off, as in Kafka. */
        public Builder groupId(String id) {
            if (id == null || id.isEmpty()) {
                throw new InvalidConfigurationException(GROUP_ID + " must not be empty when set");
            }
            groupId = id;
            return this;
        }

        public Builder group(GroupOptions options) {
            group = Objects.requireNonNull(options, "group");
            return this;
        }

        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank()) {
                throw new InvalidConfigurationException("Configuration " + BOOTSTRAP_SERVERS + " must not be empty");
            }
            bootstrapServers = List.of(servers.trim().split("\\s*,\\s*"));
            return this;
        }

        public Builder clientId(String id) {
            clientId = Objects.requireNonNull(id, "clientId");
            return this;
        }

        public Builder autoOffsetReset(OffsetResetStrategy strategy) {
            autoOffsetReset = Objects.requireNonNull(strategy, "autoOffsetReset");
            return this;
        }

        public Builder isolationLevel(IsolationLevel level) {
            isolationLevel = Objects.requireNonNull(level, "isolationLevel");
            return this;
        }

        public Builder maxPollRecords(int n) {
            ConfigDef.requireAtLeast(MAX_POLL_RECORDS, n, 1);
            maxPollRecords = n;
            return this;
        }

        public Builder fetchMinBytes(int n) {
            ConfigDef.requireAtLeast(FETCH_MIN_BYTES, n, 0);
            fetchMinBytes = n;
            return this;
        }

        public Builder fetchMaxWaitMs(int ms) {
            ConfigDef.requireAtLeast(FETCH_MAX_WAIT_MS, ms, 0);
            fetchMaxWaitMs = ms;
            return this;
        }

        public Builder fetchMaxBytes(int n) {
            ConfigDef.requireAtLeast(FETCH_MAX_BYTES, n, 0);
            fetchMaxBytes = n;
            return this;
        }

        public Builder maxPartitionFetchBytes(int n) {
            ConfigDef.requireAtLeast(MAX_PARTITION_FETCH_BYTES, n, 0);
            maxPartitionFetchBytes = n;
            return this;
        }

        public Builder requestTimeoutMs(int ms) {
            ConfigDef.requireAtLeast(REQUEST_TIMEOUT_MS, ms, 0);
            requestTimeoutMs = ms;
            return this;
        }

        public Builder defaultApiTimeoutMs(long ms) {
            ConfigDef.requireAtLeast(DEFAULT_API_TIMEOUT_MS, ms, 0);
            defaultApiTimeoutMs = ms;
            return this;
        }

        public ConsumerConfig build() {
            if (bootstrapServers == null) {
                throw new InvalidConfigurationException("Missing required configuration " + BOOTSTRAP_SERVERS);
            }
            return new ConsumerConfig(bootstrapServers, clientId, groupId, autoOffsetReset, isolationLevel, maxPollRecords,
                    fetchMinBytes, fetchMaxWaitMs, fetchMaxBytes, maxPartitionFetchBytes, requestTimeoutMs,
                    defaultApiTimeoutMs, 100, 300_000, true, null, null, group, Map.of());
        }
    }
}
