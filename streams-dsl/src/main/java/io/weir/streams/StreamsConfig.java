package io.weir.streams;

import io.weir.common.config.ConfigDef;
import io.weir.common.config.ConfigDef.Type;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.serialization.Serde;
import java.lang.reflect.InvocationTargetException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

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

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(APPLICATION_ID_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT, (name, value) -> {
                if (((String) value).isBlank()) {
                    throw new InvalidConfigurationException(name + " must not be blank");
                }
            }, "The application's name")
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "", "Brokers to reach; empty opens an embedded broker")
            .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/weir-streams", "Directory of the stores")
            .define(STATESTORE_CACHE_MAX_BYTES_CONFIG, Type.LONG, 10L * 1024 * 1024, ConfigDef.atLeast(0),
                    "Record cache bytes shared by the stores of one instance")
            .define(DEFAULT_KEY_SERDE_CLASS_CONFIG, Type.CLASS, null, "Serde class for keys no operator names one for")
            .define(DEFAULT_VALUE_SERDE_CLASS_CONFIG, Type.CLASS, null, "Serde class for values no operator names one for");

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
            throw new InvalidConfigurationException("No " + key + " is set, and an operator needs it: pass serdes to the "
                    + "operator (Consumed.with, Produced.with, ...) or set " + key);
        }
        try {
            Serde<?> serde = (Serde<?>) type.getDeclaredConstructor().newInstance();
            serde.configure(originals, isKey);
            return serde;
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new InvalidConfigurationException(key + "=" + type.getName() + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new InvalidConfigurationException(key + "=" + type.getName() + " failed to construct: " + e.getCause(), e.getCause());
        }
    }
}
