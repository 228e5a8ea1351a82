package io.weir.broker.client;

import io.weir.broker.IsolationLevel;
import io.weir.broker.config.ConfigDef;
import io.weir.broker.config.ParsedConfig;
import io.weir.broker.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The typed, immutable configuration of a {@link Consumer}: Kafka's consumer keys, parsed once
 * ({@link #from(Map)}, {@link #from(Properties)}) or built fluently ({@link #builder()}), validated in the
 * constructor both paths share. Defaults are Kafka's. {@code group.id} is accepted and kept for the
 * consumer-group issue, but this version only supports manual assignment.
 */
public record ConsumerConfig(
        List<String> bootstrapServers, String clientId, String groupId, OffsetResetStrategy autoOffsetReset,
        IsolationLevel isolationLevel, int maxPollRecords, int fetchMinBytes, int fetchMaxWaitMs, int fetchMaxBytes,
        int maxPartitionFetchBytes, int requestTimeoutMs, long defaultApiTimeoutMs, long retryBackoffMs,
        long metadataMaxAgeMs, boolean checkCrcs, Class<?> keyDeserializer, Class<?> valueDeserializer,
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

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT, ConfigDef.nonEmptyList(),
                    "Where the broker is: embedded:<name> for an embedded broker.")
            .define(CLIENT_ID, ConfigDef.Type.STRING, "", "A name for this client in logs and errors.")
            .define(GROUP_ID, ConfigDef.Type.STRING, null, "Consumer group; groups are not built yet, only manual assignment.")
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
            .define(VALUE_DESERIALIZER, ConfigDef.Type.CLASS, null, "A Deserializer class for values, when none is passed in code.");

    public ConsumerConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        if (bootstrapServers.isEmpty()) {
            throw new InvalidConfigurationException("Configuration " + BOOTSTRAP_SERVERS + " must not be empty");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
        Objects.requireNonNull(isolationLevel, "isolationLevel");
        ProducerConfig.atLeast(MAX_POLL_RECORDS, maxPollRecords, 1);
        ProducerConfig.atLeast(FETCH_MIN_BYTES, fetchMinBytes, 0);
        ProducerConfig.atLeast(FETCH_MAX_WAIT_MS, fetchMaxWaitMs, 0);
        ProducerConfig.atLeast(FETCH_MAX_BYTES, fetchMaxBytes, 0);
        ProducerConfig.atLeast(MAX_PARTITION_FETCH_BYTES, maxPartitionFetchBytes, 0);
        ProducerConfig.atLeast(REQUEST_TIMEOUT_MS, requestTimeoutMs, 0);
        ProducerConfig.atLeast(DEFAULT_API_TIMEOUT_MS, defaultApiTimeoutMs, 0);
        ProducerConfig.atLeast(RETRY_BACKOFF_MS, retryBackoffMs, 0);
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
        originals = originals == null ? Map.of() : Map.copyOf(originals);
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
        return new ConsumerConfig(c.getList(BOOTSTRAP_SERVERS), c.getString(CLIENT_ID), c.getString(GROUP_ID),
                OffsetResetStrategy.forConfig(c.getString(AUTO_OFFSET_RESET)), IsolationLevel.forName(c.getString(ISOLATION_LEVEL)),
                c.getInt(MAX_POLL_RECORDS), c.getInt(FETCH_MIN_BYTES), c.getInt(FETCH_MAX_WAIT_MS), c.getInt(FETCH_MAX_BYTES),
                c.getInt(MAX_PARTITION_FETCH_BYTES), c.getInt(REQUEST_TIMEOUT_MS), c.getLong(DEFAULT_API_TIMEOUT_MS),
                c.getLong(RETRY_BACKOFF_MS), c.getLong(METADATA_MAX_AGE_MS), c.getBoolean(CHECK_CRCS),
                c.getClass(KEY_DESERIALIZER), c.getClass(VALUE_DESERIALIZER), originals);
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

        private Builder() {
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
            ProducerConfig.atLeast(MAX_POLL_RECORDS, n, 1);
            maxPollRecords = n;
            return this;
        }

        public Builder fetchMinBytes(int n) {
            ProducerConfig.atLeast(FETCH_MIN_BYTES, n, 0);
            fetchMinBytes = n;
            return this;
        }

        public Builder fetchMaxWaitMs(int ms) {
            ProducerConfig.atLeast(FETCH_MAX_WAIT_MS, ms, 0);
            fetchMaxWaitMs = ms;
            return this;
        }

        public Builder fetchMaxBytes(int n) {
            ProducerConfig.atLeast(FETCH_MAX_BYTES, n, 0);
            fetchMaxBytes = n;
            return this;
        }

        public Builder maxPartitionFetchBytes(int n) {
            ProducerConfig.atLeast(MAX_PARTITION_FETCH_BYTES, n, 0);
            maxPartitionFetchBytes = n;
            return this;
        }

        public Builder requestTimeoutMs(int ms) {
            ProducerConfig.atLeast(REQUEST_TIMEOUT_MS, ms, 0);
            requestTimeoutMs = ms;
            return this;
        }

        public Builder defaultApiTimeoutMs(long ms) {
            ProducerConfig.atLeast(DEFAULT_API_TIMEOUT_MS, ms, 0);
            defaultApiTimeoutMs = ms;
            return this;
        }

        public ConsumerConfig build() {
            if (bootstrapServers == null) {
                throw new InvalidConfigurationException("Missing required configuration " + BOOTSTRAP_SERVERS);
            }
            return new ConsumerConfig(bootstrapServers, clientId, null, autoOffsetReset, isolationLevel, maxPollRecords,
                    fetchMinBytes, fetchMaxWaitMs, fetchMaxBytes, maxPartitionFetchBytes, requestTimeoutMs,
                    defaultApiTimeoutMs, 100, 300_000, true, null, null, Map.of());
        }
    }
}
