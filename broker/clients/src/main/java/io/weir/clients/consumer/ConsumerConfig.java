package io.weir.clients.consumer;

import io.weir.common.IsolationLevel;
import io.weir.common.config.BuilderValues;
import io.weir.common.config.ConfigDef;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.serialization.Deserializer;
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
        List<String> bootstrapServers,
        String clientId,
        String groupId,
        OffsetResetStrategy autoOffsetReset,
        IsolationLevel isolationLevel,
        int maxPollRecords,
        int fetchMinBytes,
        int fetchMaxWaitMs,
        int fetchMaxBytes,
        int maxPartitionFetchBytes,
        int requestTimeoutMs,
        long defaultApiTimeoutMs,
        long retryBackoffMs,
        long metadataMaxAgeMs,
        boolean checkCrcs,
        Class<?> keyDeserializer,
        Class<?> valueDeserializer,
        GroupOptions group,
        Map<String, Object> originals) {

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
    public record GroupOptions(
            String groupInstanceId,
            int sessionTimeoutMs,
            int heartbeatIntervalMs,
            int maxPollIntervalMs,
            List<String> assignmentStrategies,
            boolean enableAutoCommit,
            long autoCommitIntervalMs,
            boolean excludeInternalTopics) {
        /** The definition's defaults, with auto-commit on as it is by default for a consumer with a group.id. */
        public static final GroupOptions DEFAULTS = new GroupOptions(
                null,
                (Integer) DEFINITION.defaultValue(SESSION_TIMEOUT_MS),
                (Integer) DEFINITION.defaultValue(HEARTBEAT_INTERVAL_MS),
                (Integer) DEFINITION.defaultValue(MAX_POLL_INTERVAL_MS),
                defaultAssignmentStrategies(),
                true,
                (Long) DEFINITION.defaultValue(AUTO_COMMIT_INTERVAL_MS),
                (Boolean) DEFINITION.defaultValue(EXCLUDE_INTERNAL_TOPICS));

        public GroupOptions {
            assignmentStrategies = List.copyOf(assignmentStrategies);
            if (groupInstanceId != null && groupInstanceId.isBlank()) {
                throw new InvalidConfigurationException(GROUP_INSTANCE_ID + " must not be empty when set");
            }
            DEFINITION.parseValue(SESSION_TIMEOUT_MS, sessionTimeoutMs);
            DEFINITION.parseValue(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs);
            DEFINITION.parseValue(MAX_POLL_INTERVAL_MS, maxPollIntervalMs);
            DEFINITION.parseValue(AUTO_COMMIT_INTERVAL_MS, autoCommitIntervalMs);
            if (heartbeatIntervalMs >= sessionTimeoutMs) {
                throw new InvalidConfigurationException(
                        HEARTBEAT_INTERVAL_MS + "=" + heartbeatIntervalMs + " must be lower than " + SESSION_TIMEOUT_MS
                                + "=" + sessionTimeoutMs + ", or the member would time out between heartbeats");
            }
            // Resolves every name now, so an unknown assignor fails at construction, naming the value.
            io.weir.clients.consumer.internals.Assignors.forNames(assignmentStrategies);
        }

        @SuppressWarnings("unchecked")
        private static List<String> defaultAssignmentStrategies() {
            return (List<String>) DEFINITION.defaultValue(PARTITION_ASSIGNMENT_STRATEGY);
        }

        public GroupOptions withEnableAutoCommit(boolean enabled) {
            return new GroupOptions(
                    groupInstanceId,
                    sessionTimeoutMs,
                    heartbeatIntervalMs,
                    maxPollIntervalMs,
                    assignmentStrategies,
                    enabled,
                    autoCommitIntervalMs,
                    excludeInternalTopics);
        }
    }

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    BOOTSTRAP_SERVERS,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT,
                    ConfigDef.nonEmptyList(),
                    "Where the broker is: embedded:<name> for an embedded broker.")
            .define(CLIENT_ID, ConfigDef.Type.STRING, "", "A name for this client in logs and errors.")
            .define(GROUP_ID, ConfigDef.Type.STRING, null, "The consumer group; needed by subscribe and commits.")
            .define(
                    AUTO_OFFSET_RESET,
                    ConfigDef.Type.STRING,
                    "latest",
                    ConfigDef.in("earliest", "latest", "none"),
                    "Where to start when a partition has no position or it is out of range.")
            .define(
                    ISOLATION_LEVEL,
                    ConfigDef.Type.STRING,
                    "read_uncommitted",
                    ConfigDef.in("read_uncommitted", "read_committed"),
                    "read_committed returns only committed transactional records.")
            .define(MAX_POLL_RECORDS, ConfigDef.Type.INT, 500, ConfigDef.atLeast(1), "Most records one poll returns.")
            .define(
                    FETCH_MIN_BYTES,
                    ConfigDef.Type.INT,
                    1,
                    ConfigDef.atLeast(0),
                    "Bytes the broker waits for before answering a fetch.")
            .define(
                    FETCH_MAX_WAIT_MS,
                    ConfigDef.Type.INT,
                    500,
                    ConfigDef.atLeast(0),
                    "Longest the broker holds a fetch waiting for fetch.min.bytes.")
            .define(
                    FETCH_MAX_BYTES,
                    ConfigDef.Type.INT,
                    52_428_800,
                    ConfigDef.atLeast(0),
                    "Most bytes one fetch returns (at least one batch).")
            .define(
                    MAX_PARTITION_FETCH_BYTES,
                    ConfigDef.Type.INT,
                    1_048_576,
                    ConfigDef.atLeast(0),
                    "Most bytes per partition in one fetch.")
            .define(
                    REQUEST_TIMEOUT_MS,
                    ConfigDef.Type.INT,
                    30_000,
                    ConfigDef.atLeast(0),
                    "How long to wait for an answer to a request.")
            .define(
                    DEFAULT_API_TIMEOUT_MS,
                    ConfigDef.Type.LONG,
                    60_000L,
                    ConfigDef.atLeast(0),
                    "Timeout of blocking calls that take none.")
            .define(
                    RETRY_BACKOFF_MS,
                    ConfigDef.Type.LONG,
                    100L,
                    ConfigDef.atLeast(0),
                    "Wait before asking again after a failure.")
            .define(
                    METADATA_MAX_AGE_MS,
                    ConfigDef.Type.LONG,
                    300_000L,
                    ConfigDef.atLeast(0),
                    "Age after which topic metadata is refreshed.")
            .define(CHECK_CRCS, ConfigDef.Type.BOOLEAN, true, "Verify the CRC of every fetched batch.")
            .define(
                    KEY_DESERIALIZER,
                    ConfigDef.Type.CLASS,
                    null,
                    "A Deserializer class for keys, when none is passed in code.")
            .define(
                    VALUE_DESERIALIZER,
                    ConfigDef.Type.CLASS,
                    null,
                    "A Deserializer class for values, when none is passed in code.")
            .define(
                    GROUP_INSTANCE_ID,
                    ConfigDef.Type.STRING,
                    null,
                    "Static membership: a restart with the same id keeps its partitions.")
            .define(
                    SESSION_TIMEOUT_MS,
                    ConfigDef.Type.INT,
                    45_000,
                    ConfigDef.atLeast(1),
                    "A member without a heartbeat for this long is removed from the group.")
            .define(
                    HEARTBEAT_INTERVAL_MS,
                    ConfigDef.Type.INT,
                    3_000,
                    ConfigDef.atLeast(1),
                    "Time between background heartbeats.")
            .define(
                    MAX_POLL_INTERVAL_MS,
                    ConfigDef.Type.INT,
                    300_000,
                    ConfigDef.atLeast(1),
                    "A member that does not poll for this long leaves its group.")
            .define(
                    PARTITION_ASSIGNMENT_STRATEGY,
                    ConfigDef.Type.LIST,
                    "range,cooperative-sticky",
                    ConfigDef.nonEmptyList(),
                    "Assignors by preference: range, roundrobin, sticky, cooperative-sticky or class names.")
            .define(
                    ENABLE_AUTO_COMMIT,
                    ConfigDef.Type.BOOLEAN,
                    null,
                    "Commit positions in the background (default true with a group.id).")
            .define(
                    AUTO_COMMIT_INTERVAL_MS,
                    ConfigDef.Type.LONG,
                    5_000L,
                    ConfigDef.atLeast(0),
                    "Time between automatic commits.")
            .define(
                    EXCLUDE_INTERNAL_TOPICS,
                    ConfigDef.Type.BOOLEAN,
                    true,
                    "Pattern subscriptions never match internal topics (__...).");

    public ConsumerConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        if (bootstrapServers.isEmpty()) {
            throw new InvalidConfigurationException("Configuration " + BOOTSTRAP_SERVERS + " must not be empty");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
        Objects.requireNonNull(isolationLevel, "isolationLevel");
        // The definition holds each key's rule; checking here too makes a record built directly as valid.
        DEFINITION.parseValue(MAX_POLL_RECORDS, maxPollRecords);
        DEFINITION.parseValue(FETCH_MIN_BYTES, fetchMinBytes);
        DEFINITION.parseValue(FETCH_MAX_WAIT_MS, fetchMaxWaitMs);
        DEFINITION.parseValue(FETCH_MAX_BYTES, fetchMaxBytes);
        DEFINITION.parseValue(MAX_PARTITION_FETCH_BYTES, maxPartitionFetchBytes);
        DEFINITION.parseValue(REQUEST_TIMEOUT_MS, requestTimeoutMs);
        DEFINITION.parseValue(DEFAULT_API_TIMEOUT_MS, defaultApiTimeoutMs);
        DEFINITION.parseValue(RETRY_BACKOFF_MS, retryBackoffMs);
        if (requestTimeoutMs <= fetchMaxWaitMs) {
            throw new InvalidConfigurationException(
                    REQUEST_TIMEOUT_MS + "=" + requestTimeoutMs + " must be larger than " + FETCH_MAX_WAIT_MS + "="
                            + fetchMaxWaitMs + ", or every long poll would time out");
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
        ParsedConfig c = DEFINITION.parse(properties);
        return from(c, c.stringKeyedOriginals());
    }

    public static ConsumerConfig from(Map<?, ?> configs) {
        ParsedConfig c = DEFINITION.parse(configs);
        return from(c, c.stringKeyedOriginals());
    }

    /** The one way from parsed values to a config, for {@code Properties}, maps and the builder alike. */
    private static ConsumerConfig from(ParsedConfig c, Map<String, Object> originals) {
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
        GroupOptions group = new GroupOptions(
                c.getString(GROUP_INSTANCE_ID),
                c.getInt(SESSION_TIMEOUT_MS),
                c.getInt(HEARTBEAT_INTERVAL_MS),
                c.getInt(MAX_POLL_INTERVAL_MS),
                c.getList(PARTITION_ASSIGNMENT_STRATEGY),
                enableAutoCommit,
                c.getLong(AUTO_COMMIT_INTERVAL_MS),
                c.getBoolean(EXCLUDE_INTERNAL_TOPICS));
        return new ConsumerConfig(
                c.getList(BOOTSTRAP_SERVERS),
                c.getString(CLIENT_ID),
                groupId,
                OffsetResetStrategy.forConfig(c.getString(AUTO_OFFSET_RESET)),
                IsolationLevel.forName(c.getString(ISOLATION_LEVEL)),
                c.getInt(MAX_POLL_RECORDS),
                c.getInt(FETCH_MIN_BYTES),
                c.getInt(FETCH_MAX_WAIT_MS),
                c.getInt(FETCH_MAX_BYTES),
                c.getInt(MAX_PARTITION_FETCH_BYTES),
                c.getInt(REQUEST_TIMEOUT_MS),
                c.getLong(DEFAULT_API_TIMEOUT_MS),
                c.getLong(RETRY_BACKOFF_MS),
                c.getLong(METADATA_MAX_AGE_MS),
                c.getBoolean(CHECK_CRCS),
                c.getClass(KEY_DESERIALIZER),
                c.getClass(VALUE_DESERIALIZER),
                group,
                originals);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fluent construction. Each setter rejects a bad value at once, with the message {@link #from(Properties)}
     * gives for it, and refuses being called twice; a key never set takes its default from {@link #DEFINITION}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final BuilderValues values = new BuilderValues(DEFINITION);

        private Builder() {}

        /**
         * Joins group {@code id}; auto-commit is on unless {@link #group} turns it off, as in Kafka.
         *
         * @throws InvalidConfigurationException if {@code id} is empty (the string path reads an empty group.id
         *         as none; in code it is a mistake)
         */
        public Builder groupId(String id) {
            if (id == null || id.isEmpty()) {
                throw new InvalidConfigurationException(GROUP_ID + " must not be empty when set");
            }
            values.set(GROUP_ID, id);
            return this;
        }

        /**
         * Sets every group key at once. {@code enableAutoCommit = true} means Kafka's default: on exactly when a
         * group.id is set.
         *
         * @throws IllegalStateException if group options were set before
         */
        public Builder group(GroupOptions options) {
            Objects.requireNonNull(options, "group");
            if (values.isSet(SESSION_TIMEOUT_MS)) {
                throw new IllegalStateException("group options (" + SESSION_TIMEOUT_MS + ", " + HEARTBEAT_INTERVAL_MS
                        + ", ...) were already set on this builder");
            }
            if (options.groupInstanceId() != null) {
                values.set(GROUP_INSTANCE_ID, options.groupInstanceId());
            }
            values.set(SESSION_TIMEOUT_MS, options.sessionTimeoutMs())
                    .set(HEARTBEAT_INTERVAL_MS, options.heartbeatIntervalMs())
                    .set(MAX_POLL_INTERVAL_MS, options.maxPollIntervalMs())
                    .set(PARTITION_ASSIGNMENT_STRATEGY, options.assignmentStrategies())
                    .set(AUTO_COMMIT_INTERVAL_MS, options.autoCommitIntervalMs())
                    .set(EXCLUDE_INTERNAL_TOPICS, options.excludeInternalTopics());
            if (!options.enableAutoCommit()) {
                values.set(ENABLE_AUTO_COMMIT, false);
            }
            return this;
        }

        public Builder bootstrapServers(String servers) {
            values.set(BOOTSTRAP_SERVERS, servers);
            return this;
        }

        public Builder clientId(String id) {
            values.set(CLIENT_ID, id);
            return this;
        }

        public Builder autoOffsetReset(OffsetResetStrategy strategy) {
            values.set(
                    AUTO_OFFSET_RESET,
                    Objects.requireNonNull(strategy, AUTO_OFFSET_RESET).configName());
            return this;
        }

        public Builder isolationLevel(IsolationLevel level) {
            values.set(
                    ISOLATION_LEVEL,
                    Objects.requireNonNull(level, ISOLATION_LEVEL).configName());
            return this;
        }

        public Builder maxPollRecords(int n) {
            values.set(MAX_POLL_RECORDS, n);
            return this;
        }

        public Builder fetchMinBytes(int n) {
            values.set(FETCH_MIN_BYTES, n);
            return this;
        }

        public Builder fetchMaxWaitMs(int ms) {
            values.set(FETCH_MAX_WAIT_MS, ms);
            return this;
        }

        public Builder fetchMaxBytes(int n) {
            values.set(FETCH_MAX_BYTES, n);
            return this;
        }

        public Builder maxPartitionFetchBytes(int n) {
            values.set(MAX_PARTITION_FETCH_BYTES, n);
            return this;
        }

        public Builder requestTimeoutMs(int ms) {
            values.set(REQUEST_TIMEOUT_MS, ms);
            return this;
        }

        public Builder defaultApiTimeoutMs(long ms) {
            values.set(DEFAULT_API_TIMEOUT_MS, ms);
            return this;
        }

        /**
         * @throws InvalidConfigurationException if bootstrap servers are missing, or request.timeout.ms is not
         *         larger than fetch.max.wait.ms
         */
        public ConsumerConfig build() {
            return from(values.parse(), Map.of());
        }
    }
}
