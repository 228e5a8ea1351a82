package io.weir.streams;

import io.weir.common.config.ConfigDef;
import io.weir.common.config.ConfigDef.Type;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.serialization.Serde;
import io.weir.streams.errors.DefaultProductionExceptionHandler;
import io.weir.streams.errors.DeserializationExceptionHandler;
import io.weir.streams.errors.LogAndFailExceptionHandler;
import io.weir.streams.errors.LogAndFailProcessingExceptionHandler;
import io.weir.streams.errors.ProcessingExceptionHandler;
import io.weir.streams.errors.ProductionExceptionHandler;
import io.weir.streams.processor.FailOnInvalidTimestamp;
import io.weir.streams.processor.TimestampExtractor;
import java.lang.reflect.InvocationTargetException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streams application's settings, with Kafka Streams' keys, parsed once. Immutable. Keys this version does
 * not act on yet are kept in {@link #originals()} for plug-ins, as Kafka keeps unknown keys, and not validated.
 */
public final class StreamsConfig {
    /** The application's name: the prefix of its internal topics and its consumer group. */
    public static final String APPLICATION_ID_CONFIG = "application.id";
    /** Where the brokers are; none opens an embedded broker. */
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    /** The {@link Serde} class for keys where an operator names none. */
    public static final String DEFAULT_KEY_SERDE_CLASS_CONFIG = "default.key.serde";
    /** The {@link Serde} class for values where an operator names none. */
    public static final String DEFAULT_VALUE_SERDE_CLASS_CONFIG = "default.value.serde";

    /** {@code at_least_once} (the default) or {@code exactly_once_v2}. */
    public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";

    public static final String AT_LEAST_ONCE = "at_least_once";
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    /** How many threads process tasks in this instance. */
    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    /** How often tasks commit: 30 s, or 100 ms under exactly-once. */
    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    /** How long a stream thread's poll waits for input. */
    public static final String POLL_MS_CONFIG = "poll.ms";
    /**
     * How long a task with several input partitions waits for a partition that has no buffered records but is known
     * to be caught up, before it processes the others without it (KIP-353 / KIP-695). A partition whose lag is
     * unknown or positive is always waited for (its records are on the broker), unless the value is
     * {@link #MAX_TASK_IDLE_MS_DISABLED}: then a task processes whatever it has. Default 0.
     */
    public static final String MAX_TASK_IDLE_MS_CONFIG = "max.task.idle.ms";
    /** {@link #MAX_TASK_IDLE_MS_CONFIG}'s value that never waits for an empty partition. */
    public static final long MAX_TASK_IDLE_MS_DISABLED = -1;
    /** How often committed records of repartition topics are deleted (Kafka Streams' default 30 s). */
    public static final String REPARTITION_PURGE_INTERVAL_MS_CONFIG = "repartition.purge.interval.ms";
    /** {@code host:port} where this instance answers interactive queries, shared with the other instances. */
    public static final String APPLICATION_SERVER_CONFIG = "application.server";
    /** The client id prefix of the application's consumers, producers and admin; the application id if empty. */
    public static final String CLIENT_ID_CONFIG = "client.id";
    /**
     * Weir's: whether to start although the names of stores or internal topics changed since the state in
     * {@code state.dir} was written (the changed ones start empty). Default false: such a start is refused.
     */
    public static final String ACCEPT_RENAMED_STATE_CONFIG = "weir.accept.renamed.state";

    /** Prefix of settings only the consumers get, as in Kafka Streams. */
    public static final String CONSUMER_PREFIX = "consumer.";
    /** Prefix of settings only the main (group) consumer gets. */
    public static final String MAIN_CONSUMER_PREFIX = "main.consumer.";
    /** Prefix of settings only the restore consumer gets. */
    public static final String RESTORE_CONSUMER_PREFIX = "restore.consumer.";
    /** Prefix of settings only the global stream thread's consumer gets, as in Kafka Streams. */
    public static final String GLOBAL_CONSUMER_PREFIX = "global.consumer.";
    /** Prefix of settings only the producers get. */
    public static final String PRODUCER_PREFIX = "producer.";
    /** Prefix of settings only the admin client gets. */
    public static final String ADMIN_CLIENT_PREFIX = "admin.";
    /**
     * Weir's: prefix of the settings of the embedded broker the application opens when it has no
     * {@code bootstrap.servers} (e.g. {@code broker.log.segment.bytes}).
     */
    public static final String BROKER_PREFIX = "broker.";
    /** Prefix of settings of the internal topics the application creates (e.g. {@code topic.segment.bytes}). */
    public static final String TOPIC_PREFIX = "topic.";

    /** Where tasks keep their stores: {@code <state.dir>/<application.id>/<task>/<store>}. */
    public static final String STATE_DIR_CONFIG = "state.dir";
    /** The bytes of record cache the stores of one instance share. */
    public static final String STATESTORE_CACHE_MAX_BYTES_CONFIG = "statestore.cache.max.bytes";

    /** What to do with an input record that cannot be deserialized: a {@code DeserializationExceptionHandler} class. */
    public static final String DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG = "deserialization.exception.handler";
    /** The name Kafka used before 4.0; still read, with a warning, when the new one is not set. */
    @Deprecated
    public static final String DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG =
            "default.deserialization.exception.handler";
    /** What gives input records their timestamps: a {@code TimestampExtractor} class, Kafka's default. */
    public static final String DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG = "default.timestamp.extractor";
    /** What to do when a processor throws: a {@code ProcessingExceptionHandler} class. */
    public static final String PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG = "processing.exception.handler";
    /** What to do with a result that cannot be written: a {@code ProductionExceptionHandler} class. */
    public static final String PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG = "production.exception.handler";
    /** The name Kafka used before 4.0; still read, with a warning, when the new one is not set. */
    @Deprecated
    public static final String DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG =
            "default.production.exception.handler";

    private static final Logger LOG = LoggerFactory.getLogger(StreamsConfig.class);

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    APPLICATION_ID_CONFIG,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT,
                    (name, value) -> {
                        if (((String) value).isBlank()) {
                            throw new InvalidConfigurationException(name + " must not be blank");
                        }
                    },
                    "The application's name")
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "", "Brokers to reach; empty opens an embedded broker")
            .define(
                    PROCESSING_GUARANTEE_CONFIG,
                    Type.STRING,
                    AT_LEAST_ONCE,
                    ConfigDef.in(AT_LEAST_ONCE, EXACTLY_ONCE_V2),
                    "The processing guarantee")
            .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, ConfigDef.atLeast(1), "Stream threads of this instance")
            .define(
                    COMMIT_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    null,
                    ConfigDef.atLeast(0),
                    "Milliseconds between commits; 30000, or 100 under exactly-once")
            .define(
                    REPARTITION_PURGE_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    30_000L,
                    ConfigDef.atLeast(0),
                    "Milliseconds between purges of committed repartition records")
            .define(POLL_MS_CONFIG, Type.LONG, 100L, ConfigDef.atLeast(0), "Milliseconds a poll waits for input")
            .define(
                    MAX_TASK_IDLE_MS_CONFIG,
                    Type.LONG,
                    0L,
                    ConfigDef.atLeast(MAX_TASK_IDLE_MS_DISABLED),
                    "Milliseconds a task waits for a caught-up empty input partition; -1 never waits")
            .define(APPLICATION_SERVER_CONFIG, Type.STRING, "", "host:port of this instance's query endpoint")
            .define(CLIENT_ID_CONFIG, Type.STRING, "", "Client id prefix")
            .define(ACCEPT_RENAMED_STATE_CONFIG, Type.BOOLEAN, false, "Start although state names changed")
            .define(
                    STATE_DIR_CONFIG,
                    Type.STRING,
                    System.getProperty("java.io.tmpdir") + "/weir-streams",
                    "Directory of the stores")
            .define(
                    STATESTORE_CACHE_MAX_BYTES_CONFIG,
                    Type.LONG,
                    10L * 1024 * 1024,
                    ConfigDef.atLeast(0),
                    "Record cache bytes shared by the stores of one instance")
            .define(
                    DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                    Type.CLASS,
                    null,
                    "Handler of records that cannot be deserialized")
            .define(
                    DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                    Type.CLASS,
                    null,
                    "Deprecated name of the above")
            .define(
                    DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG,
                    Type.CLASS,
                    FailOnInvalidTimestamp.class,
                    "Extractor of input records' timestamps, for sources that set none in Consumed")
            .define(
                    PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                    Type.CLASS,
                    LogAndFailProcessingExceptionHandler.class,
                    "Handler of exceptions in processors")
            .define(
                    PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                    Type.CLASS,
                    null,
                    "Handler of results that cannot be written")
            .define(DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS, null, "Deprecated name of the above")
            .define(DEFAULT_KEY_SERDE_CLASS_CONFIG, Type.CLASS, null, "Serde class for keys no operator names one for")
            .define(
                    DEFAULT_VALUE_SERDE_CLASS_CONFIG,
                    Type.CLASS,
                    null,
                    "Serde class for values no operator names one for");

    private final ParsedConfig parsed;
    private final Map<String, Object> originals;

    /**
     * @throws InvalidConfigurationException for a missing {@code application.id} or a bad value, naming the key
     */
    public StreamsConfig(Map<?, ?> props) {
        this.parsed = DEFINITION.parse(props);
        Map<String, Object> copy = new LinkedHashMap<>();
        props.forEach((k, v) -> copy.put(String.valueOf(k), v));
        this.originals = Collections.unmodifiableMap(copy);
        checkSerdeClass(DEFAULT_KEY_SERDE_CLASS_CONFIG);
        checkSerdeClass(DEFAULT_VALUE_SERDE_CLASS_CONFIG);
        this.deserializationHandler = handlerClass(
                DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndFailExceptionHandler.class,
                DeserializationExceptionHandler.class);
        this.productionHandler = handlerClass(
                PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DefaultProductionExceptionHandler.class,
                ProductionExceptionHandler.class);
        this.processingHandler = handlerClass(
                PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                null,
                LogAndFailProcessingExceptionHandler.class,
                ProcessingExceptionHandler.class);
        this.timestampExtractor = handlerClass(
                DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, null, FailOnInvalidTimestamp.class, TimestampExtractor.class);
    }

    private final Class<?> deserializationHandler;
    private final Class<?> productionHandler;
    private final Class<?> processingHandler;
    private final Class<?> timestampExtractor;

    /** A new {@code default.timestamp.extractor}. */
    public TimestampExtractor defaultTimestampExtractor() {
        return (TimestampExtractor) instantiate(timestampExtractor, DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG);
    }

    @SuppressWarnings("deprecation")
    private Class<?> handlerClass(String key, String deprecatedKey, Class<?> fallback, Class<?> required) {
        Class<?> type = parsed.getClass(key);
        String from = key;
        if (type == null && deprecatedKey != null && parsed.getClass(deprecatedKey) != null) {
            type = parsed.getClass(deprecatedKey);
            from = deprecatedKey;
            LOG.warn("{} is deprecated; set {} instead", deprecatedKey, key);
        }
        if (type == null) {
            return fallback;
        }
        if (!required.isAssignableFrom(type)) {
            throw new InvalidConfigurationException("Invalid value " + type.getName() + " for configuration " + from
                    + ": it does not implement " + required.getName());
        }
        return type;
    }

    /** A new, configured {@code deserialization.exception.handler}. */
    public DeserializationExceptionHandler deserializationExceptionHandler() {
        DeserializationExceptionHandler handler = (DeserializationExceptionHandler)
                instantiate(deserializationHandler, DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG);
        handler.configure(originals);
        return handler;
    }

    /** A new, configured {@code processing.exception.handler}. */
    public ProcessingExceptionHandler processingExceptionHandler() {
        ProcessingExceptionHandler handler =
                (ProcessingExceptionHandler) instantiate(processingHandler, PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG);
        handler.configure(originals);
        return handler;
    }

    /** A new, configured {@code production.exception.handler}. */
    public ProductionExceptionHandler productionExceptionHandler() {
        ProductionExceptionHandler handler =
                (ProductionExceptionHandler) instantiate(productionHandler, PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG);
        handler.configure(originals);
        return handler;
    }

    private static Object instantiate(Class<?> type, String key) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new InvalidConfigurationException(
                    key + "=" + type.getName() + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new InvalidConfigurationException(
                    key + "=" + type.getName() + " failed to construct: " + e.getCause(), e.getCause());
        }
    }

    public StreamsConfig(Properties props) {
        this((Map<?, ?>) props);
    }

    public String applicationId() {
        return parsed.getString(APPLICATION_ID_CONFIG);
    }

    public java.nio.file.Path stateDir() {
        return java.nio.file.Path.of(parsed.getString(STATE_DIR_CONFIG));
    }

    public boolean exactlyOnce() {
        return EXACTLY_ONCE_V2.equalsIgnoreCase(parsed.getString(PROCESSING_GUARANTEE_CONFIG));
    }

    public int numStreamThreads() {
        return parsed.getInt(NUM_STREAM_THREADS_CONFIG);
    }

    /** {@code commit.interval.ms}, or Kafka's default for the guarantee: 100 ms under exactly-once, else 30 s. */
    public long commitIntervalMs() {
        Object set = parsed.get(COMMIT_INTERVAL_MS_CONFIG);
        return set != null ? (Long) set : exactlyOnce() ? 100L : 30_000L;
    }

    public long repartitionPurgeIntervalMs() {
        return parsed.getLong(REPARTITION_PURGE_INTERVAL_MS_CONFIG);
    }

    public long pollMs() {
        return parsed.getLong(POLL_MS_CONFIG);
    }

    public long maxTaskIdleMs() {
        return parsed.getLong(MAX_TASK_IDLE_MS_CONFIG);
    }

    /** {@code bootstrap.servers}; empty when the application opens an embedded broker. */
    public List<String> bootstrapServers() {
        return parsed.getList(BOOTSTRAP_SERVERS_CONFIG);
    }

    /** {@code application.server}, or empty. */
    public String applicationServer() {
        return parsed.getString(APPLICATION_SERVER_CONFIG);
    }

    public String clientIdPrefix() {
        String prefix = parsed.getString(CLIENT_ID_CONFIG);
        return prefix.isEmpty() ? applicationId() : prefix;
    }

    public boolean acceptRenamedState() {
        return parsed.getBoolean(ACCEPT_RENAMED_STATE_CONFIG);
    }

    /**
     * The settings a client is given: every key that is not one of the application's own, then those under the
     * client's prefixes (in order, later ones winning), as Kafka Streams passes them on.
     */
    public Map<String, Object> clientProps(String... prefixes) {
        Map<String, Object> out = new LinkedHashMap<>();
        originals.forEach((key, value) -> {
            if (!DEFINITION.keys().containsKey(key) && !isPrefixed(key)) {
                out.put(key, value);
            }
        });
        for (String prefix : prefixes) {
            originals.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    out.put(key.substring(prefix.length()), value);
                }
            });
        }
        return out;
    }

    /**
     * Settings of the embedded broker: those under {@value #BROKER_PREFIX}, over Weir's defaults for an application's
     * own broker, which keeps its group offsets and transaction state in 4 partitions each instead of Kafka's 50
     * (an embedded broker serves one process; fewer partitions open faster).
     */
    public Map<String, Object> brokerProps() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("offsets.topic.num.partitions", 4);
        out.put("transaction.state.log.num.partitions", 4);
        originals.forEach((key, value) -> {
            if (key.startsWith(BROKER_PREFIX)) {
                out.put(key.substring(BROKER_PREFIX.length()), value);
            }
        });
        return out;
    }

    /** Settings of the internal topics, from the {@code topic.} prefix. */
    public Map<String, String> topicProps() {
        Map<String, String> out = new LinkedHashMap<>();
        originals.forEach((key, value) -> {
            if (key.startsWith(TOPIC_PREFIX)) {
                out.put(key.substring(TOPIC_PREFIX.length()), String.valueOf(value));
            }
        });
        return out;
    }

    private static boolean isPrefixed(String key) {
        return key.startsWith(CONSUMER_PREFIX)
                || key.startsWith(MAIN_CONSUMER_PREFIX)
                || key.startsWith(RESTORE_CONSUMER_PREFIX)
                || key.startsWith(GLOBAL_CONSUMER_PREFIX)
                || key.startsWith(PRODUCER_PREFIX)
                || key.startsWith(ADMIN_CLIENT_PREFIX)
                || key.startsWith(TOPIC_PREFIX)
                || key.startsWith(BROKER_PREFIX);
    }

    public long cacheMaxBytes() {
        return parsed.getLong(STATESTORE_CACHE_MAX_BYTES_CONFIG);
    }

    /** Every key as given, for plug-ins and serdes' {@code configure}. */
    public Map<String, Object> originals() {
        return originals;
    }

    /**
     * A new instance of {@code default.key.serde}, configured for keys.
     *
     * @throws InvalidConfigurationException if none is set: an operator that needs it must name a serde instead
     */
    public Serde<?> defaultKeySerde() {
        return serde(DEFAULT_KEY_SERDE_CLASS_CONFIG, true);
    }

    /** As {@link #defaultKeySerde()}, for values. */
    public Serde<?> defaultValueSerde() {
        return serde(DEFAULT_VALUE_SERDE_CLASS_CONFIG, false);
    }

    private void checkSerdeClass(String key) {
        Class<?> type = parsed.getClass(key);
        if (type != null && !Serde.class.isAssignableFrom(type)) {
            throw new InvalidConfigurationException("Invalid value " + type.getName() + " for configuration " + key
                    + ": it does not implement " + Serde.class.getName());
        }
    }

    private Serde<?> serde(String key, boolean isKey) {
        Class<?> type = parsed.getClass(key);
        if (type == null) {
            throw new InvalidConfigurationException(
                    "No " + key + " is set, and an operator needs it: pass serdes to the "
                            + "operator (Consumed.with, Produced.with, ...) or set " + key);
        }
        Serde<?> serde = (Serde<?>) instantiate(type, key);
        serde.configure(originals, isKey);
        return serde;
    }
}
