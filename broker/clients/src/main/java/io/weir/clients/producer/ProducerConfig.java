package io.weir.clients.producer;

import io.weir.common.config.BuilderValues;
import io.weir.common.config.ConfigDef;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.record.CompressionType;
import io.weir.common.serialization.Serializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The typed, immutable configuration of a {@link Producer}: Kafka's producer keys, parsed once from strings
 * ({@link #from(Map)}, {@link #from(Properties)}) or built fluently ({@link #builder()}); both paths end in
 * the same validating constructor, so a config that exists is a valid one.
 *
 * <p>Defaults are Kafka 4's. {@code enable.idempotence} is on by default, as in Kafka 3+, but only where it can
 * hold: idempotence needs {@code acks=all}, {@code retries > 0} and {@code max.in.flight.requests.per.connection
 * <= 5}. When the user did not set {@code enable.idempotence} and one of those does not hold, idempotence is
 * quietly off; when the user set it to {@code true}, the conflict is an {@link InvalidConfigurationException}
 * naming the keys and values. A {@code transactional.id} needs idempotence.
 *
 * @param enableIdempotence   resolved: true when the producer stamps producer id, epoch and sequences
 * @param transactionalId     null for a producer without transactions
 * @param originals everything the user passed, for the {@code configure} methods of serializers and partitioners
 */
public record ProducerConfig(
        List<String> bootstrapServers,
        String clientId,
        Acks acks,
        long lingerMs,
        int batchSize,
        long bufferMemory,
        long maxBlockMs,
        CompressionType compressionType,
        int retries,
        long retryBackoffMs,
        int deliveryTimeoutMs,
        int requestTimeoutMs,
        int maxInFlightRequestsPerConnection,
        int maxRequestSize,
        long metadataMaxAgeMs,
        Class<?> partitionerClass,
        Class<?> keySerializer,
        Class<?> valueSerializer,
        boolean enableIdempotence,
        String transactionalId,
        int transactionTimeoutMs,
        Map<String, Object> originals) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String ACKS = "acks";
    public static final String LINGER_MS = "linger.ms";
    public static final String BATCH_SIZE = "batch.size";
    public static final String BUFFER_MEMORY = "buffer.memory";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String RETRIES = "retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String PARTITIONER_CLASS = "partitioner.class";
    public static final String KEY_SERIALIZER = "key.serializer";
    public static final String VALUE_SERIALIZER = "value.serializer";
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    public static final String TRANSACTIONAL_ID = "transactional.id";
    public static final String TRANSACTION_TIMEOUT_MS = "transaction.timeout.ms";
    /** Kafka's bound: the broker keeps the last 5 batches per producer, so more in flight could not be deduplicated. */
    public static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

    /** Every key a producer understands, with its type, default and rule. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    BOOTSTRAP_SERVERS,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT,
                    ConfigDef.nonEmptyList(),
                    "Where the broker is: embedded:<name> for an embedded broker.")
            .define(CLIENT_ID, ConfigDef.Type.STRING, "", "A name for this client in logs and errors.")
            .define(
                    ACKS,
                    ConfigDef.Type.STRING,
                    "all",
                    ConfigDef.in("0", "1", "all", "-1"),
                    "Acknowledgement to wait for: 0 (handed over), 1 or all (appended).")
            .define(
                    LINGER_MS,
                    ConfigDef.Type.LONG,
                    5L,
                    ConfigDef.atLeast(0),
                    "How long a batch may wait for more records before it is sent.")
            .define(
                    BATCH_SIZE,
                    ConfigDef.Type.INT,
                    16_384,
                    ConfigDef.atLeast(0),
                    "Target size in bytes of one partition's batch.")
            .define(
                    BUFFER_MEMORY,
                    ConfigDef.Type.LONG,
                    33_554_432L,
                    ConfigDef.atLeast(0),
                    "Bytes of records the producer may hold unsent.")
            .define(
                    MAX_BLOCK_MS,
                    ConfigDef.Type.LONG,
                    60_000L,
                    ConfigDef.atLeast(0),
                    "How long send() may block for metadata or buffer space.")
            .define(
                    COMPRESSION_TYPE,
                    ConfigDef.Type.STRING,
                    "none",
                    ConfigDef.in("none", "gzip", "snappy", "lz4", "zstd"),
                    "Batch compression codec.")
            .define(
                    RETRIES,
                    ConfigDef.Type.INT,
                    Integer.MAX_VALUE,
                    ConfigDef.atLeast(0),
                    "How often a batch is retried after a retriable error.")
            .define(RETRY_BACKOFF_MS, ConfigDef.Type.LONG, 100L, ConfigDef.atLeast(0), "Wait between retries.")
            .define(
                    DELIVERY_TIMEOUT_MS,
                    ConfigDef.Type.INT,
                    120_000,
                    ConfigDef.atLeast(0),
                    "Upper bound from send() to success or failure.")
            .define(
                    REQUEST_TIMEOUT_MS,
                    ConfigDef.Type.INT,
                    30_000,
                    ConfigDef.atLeast(0),
                    "How long to wait for the broker to answer a produce request.")
            .define(
                    MAX_IN_FLIGHT,
                    ConfigDef.Type.INT,
                    5,
                    ConfigDef.atLeast(1),
                    "Produce requests awaiting an answer at once; "
                            + "an idempotent producer (at most 5) keeps order per partition across retries, otherwise only 1 does.")
            .define(
                    MAX_REQUEST_SIZE,
                    ConfigDef.Type.INT,
                    1_048_576,
                    ConfigDef.atLeast(0),
                    "Largest produce request, and so the largest record.")
            .define(
                    METADATA_MAX_AGE_MS,
                    ConfigDef.Type.LONG,
                    300_000L,
                    ConfigDef.atLeast(0),
                    "Age after which topic metadata is refreshed.")
            .define(PARTITIONER_CLASS, ConfigDef.Type.CLASS, null, "A Partitioner class; default: DefaultPartitioner.")
            .define(
                    KEY_SERIALIZER,
                    ConfigDef.Type.CLASS,
                    null,
                    "A Serializer class for keys, when none is passed in code.")
            .define(
                    VALUE_SERIALIZER,
                    ConfigDef.Type.CLASS,
                    null,
                    "A Serializer class for values, when none is passed in code.")
            .define(
                    ENABLE_IDEMPOTENCE,
                    ConfigDef.Type.BOOLEAN,
                    true,
                    "Stamp producer id, epoch and per-partition "
                            + "sequences so that retries never duplicate or reorder; off by itself when acks, retries or "
                            + MAX_IN_FLIGHT + " do not allow it and this key is not set.")
            .define(
                    TRANSACTIONAL_ID,
                    ConfigDef.Type.STRING,
                    null,
                    (name, value) -> {
                        if (((String) value).isEmpty()) {
                            throw new InvalidConfigurationException("Configuration " + name + " must not be empty: "
                                    + "leave it unset for a producer without transactions");
                        }
                    },
                    "Enables transactions under this id; needs idempotence.")
            .define(
                    TRANSACTION_TIMEOUT_MS,
                    ConfigDef.Type.INT,
                    60_000,
                    ConfigDef.atLeast(1),
                    "How long a transaction "
                            + "may stay open before the coordinator aborts it; at most the broker's transaction.max.timeout.ms.");

    public ProducerConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        if (bootstrapServers.isEmpty()) {
            throw new InvalidConfigurationException("Configuration " + BOOTSTRAP_SERVERS + " must not be empty");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(acks, "acks");
        Objects.requireNonNull(compressionType, "compressionType");
        // The definition holds each key's rule; checking here too makes a record built directly as valid.
        DEFINITION.parseValue(LINGER_MS, lingerMs);
        DEFINITION.parseValue(BATCH_SIZE, batchSize);
        DEFINITION.parseValue(BUFFER_MEMORY, bufferMemory);
        DEFINITION.parseValue(MAX_BLOCK_MS, maxBlockMs);
        DEFINITION.parseValue(RETRIES, retries);
        DEFINITION.parseValue(RETRY_BACKOFF_MS, retryBackoffMs);
        DEFINITION.parseValue(DELIVERY_TIMEOUT_MS, deliveryTimeoutMs);
        DEFINITION.parseValue(REQUEST_TIMEOUT_MS, requestTimeoutMs);
        DEFINITION.parseValue(MAX_IN_FLIGHT, maxInFlightRequestsPerConnection);
        DEFINITION.parseValue(MAX_REQUEST_SIZE, maxRequestSize);
        DEFINITION.parseValue(METADATA_MAX_AGE_MS, metadataMaxAgeMs);
        DEFINITION.parseValue(TRANSACTION_TIMEOUT_MS, transactionTimeoutMs);
        checkPlugin(PARTITIONER_CLASS, partitionerClass, Partitioner.class);
        checkPlugin(KEY_SERIALIZER, keySerializer, Serializer.class);
        checkPlugin(VALUE_SERIALIZER, valueSerializer, Serializer.class);
        if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
            throw new InvalidConfigurationException(DELIVERY_TIMEOUT_MS + "=" + deliveryTimeoutMs + " must be at least "
                    + LINGER_MS + " + " + REQUEST_TIMEOUT_MS + " = " + lingerMs + " + " + requestTimeoutMs
                    + " = " + (lingerMs + requestTimeoutMs) + ", or a batch could expire before it was ever sent");
        }
        List<String> conflicts = idempotenceConflicts(acks, retries, maxInFlightRequestsPerConnection);
        if (enableIdempotence && !conflicts.isEmpty()) {
            throw new InvalidConfigurationException(ENABLE_IDEMPOTENCE + "=true cannot hold with "
                    + String.join(", ", conflicts) + ": change those, or set " + ENABLE_IDEMPOTENCE + "=false");
        }
        if (transactionalId != null) {
            DEFINITION.parseValue(TRANSACTIONAL_ID, transactionalId);
            if (!enableIdempotence) {
                throw new InvalidConfigurationException(
                        TRANSACTIONAL_ID + "=" + transactionalId + " needs idempotence, but "
                                + (conflicts.isEmpty()
                                        ? ENABLE_IDEMPOTENCE + "=false"
                                        : "it is off because of " + String.join(", ", conflicts))
                                + ": a transactional producer must be idempotent");
            }
        }
        originals = originals == null ? Map.of() : Map.copyOf(originals);
    }

    public static ProducerConfig from(Properties properties) {
        ParsedConfig c = DEFINITION.parse(properties);
        return from(c, c.stringKeyedOriginals());
    }

    public static ProducerConfig from(Map<?, ?> configs) {
        ParsedConfig c = DEFINITION.parse(configs);
        return from(c, c.stringKeyedOriginals());
    }

    /** The one way from parsed values to a config, for {@code Properties}, maps and the builder alike. */
    private static ProducerConfig from(ParsedConfig c, Map<String, Object> originals) {
        Acks acks = Acks.forConfig(c.getString(ACKS));
        boolean idempotence = resolveIdempotence(
                c.isSet(ENABLE_IDEMPOTENCE) ? c.getBoolean(ENABLE_IDEMPOTENCE) : null,
                acks,
                c.getInt(RETRIES),
                c.getInt(MAX_IN_FLIGHT));
        return new ProducerConfig(
                c.getList(BOOTSTRAP_SERVERS),
                c.getString(CLIENT_ID),
                acks,
                c.getLong(LINGER_MS),
                c.getInt(BATCH_SIZE),
                c.getLong(BUFFER_MEMORY),
                c.getLong(MAX_BLOCK_MS),
                CompressionType.forName(c.getString(COMPRESSION_TYPE).toLowerCase(java.util.Locale.ROOT)),
                c.getInt(RETRIES),
                c.getLong(RETRY_BACKOFF_MS),
                c.getInt(DELIVERY_TIMEOUT_MS),
                c.getInt(REQUEST_TIMEOUT_MS),
                c.getInt(MAX_IN_FLIGHT),
                c.getInt(MAX_REQUEST_SIZE),
                c.getLong(METADATA_MAX_AGE_MS),
                c.getClass(PARTITIONER_CLASS),
                c.getClass(KEY_SERIALIZER),
                c.getClass(VALUE_SERIALIZER),
                idempotence,
                c.getString(TRANSACTIONAL_ID),
                c.getInt(TRANSACTION_TIMEOUT_MS),
                originals);
    }

    /**
     * Kafka 3+'s rule: an explicit setting stands (the constructor refuses it if it cannot hold); without one,
     * idempotence is on exactly when nothing conflicts with it.
     *
     * @param explicit null when the user did not set {@code enable.idempotence}
     */
    static boolean resolveIdempotence(Boolean explicit, Acks acks, int retries, int maxInFlight) {
        return explicit != null
                ? explicit
                : idempotenceConflicts(acks, retries, maxInFlight).isEmpty();
    }

    /** The settings that rule idempotence out, each as {@code key=value (what it must be)}. */
    private static List<String> idempotenceConflicts(Acks acks, int retries, int maxInFlight) {
        List<String> conflicts = new ArrayList<>(3);
        if (acks != Acks.ALL) {
            conflicts.add(ACKS + "=" + acks.configName() + " (must be all)");
        }
        if (retries == 0) {
            conflicts.add(RETRIES + "=0 (must be at least 1)");
        }
        if (maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
            conflicts.add(
                    MAX_IN_FLIGHT + "=" + maxInFlight + " (must be at most " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE + ")");
        }
        return conflicts;
    }

    private static void checkPlugin(String name, Class<?> type, Class<?> required) {
        if (type != null && !required.isAssignableFrom(type)) {
            throw new InvalidConfigurationException("Invalid value " + type.getName() + " for configuration " + name
                    + ": it does not implement " + required.getName());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fluent construction. Each setter rejects a bad value at once, with the message {@link #from(Properties)}
     * gives for it, and refuses being called twice; a key never set takes its default from {@link #DEFINITION};
     * {@link #build()} checks the combinations. Not thread-safe.
     */
    public static final class Builder {
        private final BuilderValues values = new BuilderValues(DEFINITION);

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            values.set(BOOTSTRAP_SERVERS, servers);
            return this;
        }

        public Builder clientId(String id) {
            values.set(CLIENT_ID, id);
            return this;
        }

        public Builder acks(Acks value) {
            values.set(ACKS, Objects.requireNonNull(value, ACKS).configName());
            return this;
        }

        public Builder lingerMs(long ms) {
            values.set(LINGER_MS, ms);
            return this;
        }

        public Builder batchSize(int bytes) {
            values.set(BATCH_SIZE, bytes);
            return this;
        }

        public Builder bufferMemory(long bytes) {
            values.set(BUFFER_MEMORY, bytes);
            return this;
        }

        public Builder maxBlockMs(long ms) {
            values.set(MAX_BLOCK_MS, ms);
            return this;
        }

        public Builder compressionType(CompressionType type) {
            values.set(
                    COMPRESSION_TYPE,
                    Objects.requireNonNull(type, COMPRESSION_TYPE).configName());
            return this;
        }

        public Builder retries(int n) {
            values.set(RETRIES, n);
            return this;
        }

        public Builder retryBackoffMs(long ms) {
            values.set(RETRY_BACKOFF_MS, ms);
            return this;
        }

        public Builder deliveryTimeoutMs(int ms) {
            values.set(DELIVERY_TIMEOUT_MS, ms);
            return this;
        }

        public Builder requestTimeoutMs(int ms) {
            values.set(REQUEST_TIMEOUT_MS, ms);
            return this;
        }

        public Builder maxInFlightRequestsPerConnection(int n) {
            values.set(MAX_IN_FLIGHT, n);
            return this;
        }

        public Builder maxRequestSize(int bytes) {
            values.set(MAX_REQUEST_SIZE, bytes);
            return this;
        }

        public Builder metadataMaxAgeMs(long ms) {
            values.set(METADATA_MAX_AGE_MS, ms);
            return this;
        }

        public Builder partitioner(Class<? extends Partitioner> type) {
            values.set(PARTITIONER_CLASS, type);
            return this;
        }

        /** Unset: on unless acks, retries or max.in.flight.requests.per.connection rule it out. */
        public Builder enableIdempotence(boolean enable) {
            values.set(ENABLE_IDEMPOTENCE, enable);
            return this;
        }

        /** @throws InvalidConfigurationException if {@code id} is empty */
        public Builder transactionalId(String id) {
            values.set(TRANSACTIONAL_ID, id);
            return this;
        }

        public Builder transactionTimeoutMs(int ms) {
            values.set(TRANSACTION_TIMEOUT_MS, ms);
            return this;
        }

        /**
         * @throws InvalidConfigurationException if bootstrap servers are missing; if delivery.timeout.ms is
         *         shorter than linger.ms + request.timeout.ms; if idempotence was enabled explicitly with acks,
         *         retries or max.in.flight.requests.per.connection that rule it out; or if a transactional.id is
         *         set while idempotence is off
         */
        public ProducerConfig build() {
            return from(values.parse(), Map.of());
        }
    }
}
