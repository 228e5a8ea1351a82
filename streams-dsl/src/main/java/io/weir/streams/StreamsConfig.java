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
import java.lang.reflect.InvocationTargetException;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    }

    private final Class<?> deserializationHandler;
    private final Class<?> productionHandler;
    private final Class<?> processingHandler;

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
