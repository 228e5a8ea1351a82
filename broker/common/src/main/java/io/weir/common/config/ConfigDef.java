package io.weir.common.config;

import io.weir.common.errors.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Declares configuration keys once — name, type, default, validator, documentation — and parses a
 * {@code Map}/{@code Properties} of string keys into {@link ParsedConfig} values. This is the only place
 * string keys are interpreted; each component turns the parsed values into its own immutable record.
 *
 * <p>Parsing rejects a value of the wrong type or one its validator refuses with an
 * {@link InvalidConfigurationException} that names the key, the value and the rule. Unknown keys are kept
 * aside (see {@link ParsedConfig#unknownKeys()}) rather than refused, as Kafka does, so one properties file
 * can carry several clients' settings. Instances are immutable once built and safe to share.
 */
public final class ConfigDef {

    /** The value types a key may hold; strings are converted as Kafka converts them. */
    public enum Type {
        BOOLEAN,
        INT,
        LONG,
        DOUBLE,
        STRING,
        LIST,
        CLASS
    }

    /** Checks one parsed value; throws {@link InvalidConfigurationException} naming key and value. */
    @FunctionalInterface
    public interface Validator {
        void ensureValid(String name, Object value);
    }

    /** Marks a key that has no default: parsing fails if it is missing. */
    public static final Object NO_DEFAULT = new Object() {
        @Override
        public String toString() {
            return "<required>";
        }
    };

    public record Key(String name, Type type, Object defaultValue, Validator validator, String doc) {}

    private final Map<String, Key> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, Type type, Object defaultValue, Validator validator, String doc) {
        if (keys.containsKey(name)) {
            throw new IllegalArgumentException("Configuration key " + name + " is defined twice");
        }
        Object parsedDefault =
                defaultValue == NO_DEFAULT || defaultValue == null ? defaultValue : parse(name, type, defaultValue);
        if (validator != null && parsedDefault != NO_DEFAULT && parsedDefault != null) {
            validator.ensureValid(name, parsedDefault);
        }
        keys.put(name, new Key(name, type, parsedDefault, validator, doc));
        return this;
    }

    public ConfigDef define(String name, Type type, Object defaultValue, String doc) {
        return define(name, type, defaultValue, null, doc);
    }

    public Map<String, Key> keys() {
        return Collections.unmodifiableMap(keys);
    }

    public ParsedConfig parse(Properties properties) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        properties.forEach(copy::putIfAbsent);
        return parse(copy);
    }

    public ParsedConfig parse(Map<?, ?> originals) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key key : keys.values()) {
            Object raw = originals.get(key.name());
            Object value;
            if (raw == null) {
                if (key.defaultValue() == NO_DEFAULT) {
                    throw new InvalidConfigurationException(
                            "Missing required configuration " + key.name() + ": " + key.doc());
                }
                value = key.defaultValue();
            } else {
                value = parseValue(key, raw);
            }
            values.put(key.name(), value);
        }
        List<String> unknown = new ArrayList<>();
        for (Object name : originals.keySet()) {
            if (!keys.containsKey(String.valueOf(name))) {
                unknown.add(String.valueOf(name));
            }
        }
        return new ParsedConfig(values, unknown, originals);
    }

    /**
     * Parses and validates one value of {@code name} exactly as {@link #parse(Map)} does, so a typed builder
     * that checks each setter's value here refuses it with the same message as the string path.
     *
     * @param value a string, or a value of the key's type
     * @return the value typed as the key's definition says
     * @throws IllegalArgumentException if {@code name} is not defined
     * @throws InvalidConfigurationException if the value has the wrong type or the key's validator refuses it
     */
    public Object parseValue(String name, Object value) {
        Key key = keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("Configuration key " + name + " is not defined");
        }
        return parseValue(key, value);
    }

    /**
     * The parsed default of {@code name}; {@link #NO_DEFAULT} for a required key.
     *
     * @throws IllegalArgumentException if {@code name} is not defined
     */
    public Object defaultValue(String name) {
        Key key = keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("Configuration key " + name + " is not defined");
        }
        return key.defaultValue();
    }

    private static Object parseValue(Key key, Object raw) {
        Object value = parse(key.name(), key.type(), raw);
        if (key.validator() != null) {
            key.validator().ensureValid(key.name(), value);
        }
        return value;
    }

    private static Object parse(String name, Type type, Object value) {
        try {
            String text = value instanceof String s ? s.trim() : null;
            switch (type) {
                case BOOLEAN:
                    if (value instanceof Boolean) return value;
                    if ("true".equalsIgnoreCase(text)) return true;
                    if ("false".equalsIgnoreCase(text)) return false;
                    break;
                case INT:
                    if (value instanceof Integer) return value;
                    if (text != null) return Integer.parseInt(text);
                    break;
                case LONG:
                    if (value instanceof Integer i) return i.longValue();
                    if (value instanceof Long) return value;
                    if (text != null) return Long.parseLong(text);
                    break;
                case DOUBLE:
                    if (value instanceof Number n) return n.doubleValue();
                    if (text != null) return Double.parseDouble(text);
                    break;
                case STRING:
                    if (text != null) return text;
                    break;
                case LIST:
                    if (value instanceof List<?> list)
                        return List.copyOf(list.stream().map(String::valueOf).toList());
                    if (text != null) {
                        return text.isEmpty()
                                ? List.of()
                                : Arrays.stream(text.split("\\s*,\\s*")).toList();
                    }
                    break;
                case CLASS:
                    if (value instanceof Class<?>) return value;
                    if (text != null)
                        return Class.forName(text, true, Thread.currentThread().getContextClassLoader());
                    break;
                default:
                    throw new IllegalStateException("Unhandled type " + type);
            }
        } catch (NumberFormatException | ClassNotFoundException e) {
            throw new InvalidConfigurationException(
                    "Invalid value '" + value + "' for configuration " + name + ": expected "
                            + type.name().toLowerCase(Locale.ROOT) + " (" + e.getMessage() + ")",
                    e);
        }
        throw new InvalidConfigurationException("Invalid value '" + value + "' for configuration " + name
                + ": expected " + type.name().toLowerCase(Locale.ROOT) + " but got "
                + value.getClass().getSimpleName());
    }

    // ---- validators -------------------------------------------------------------------------------------

    /** Numbers within [min, max]; either bound may be null. */
    public static Validator range(Number min, Number max) {
        return (name, value) -> {
            double v = ((Number) value).doubleValue();
            if ((min != null && v < min.doubleValue()) || (max != null && v > max.doubleValue())) {
                throw new InvalidConfigurationException("Invalid value " + value + " for configuration " + name
                        + ": must be " + (min == null ? "" : "at least " + min)
                        + (min != null && max != null ? " and " : "")
                        + (max == null ? "" : "at most " + max));
            }
        };
    }

    public static Validator atLeast(Number min) {
        return range(min, null);
    }

    /** Strings from a fixed set, compared ignoring case. */
    public static Validator in(String... allowed) {
        return (name, value) -> {
            for (String a : allowed) {
                if (a.equalsIgnoreCase(String.valueOf(value))) {
                    return;
                }
            }
            throw new InvalidConfigurationException("Invalid value '" + value + "' for configuration " + name
                    + ": must be one of " + String.join(", ", allowed));
        };
    }

    public static Validator nonEmptyList() {
        return (name, value) -> {
            if (((List<?>) value).isEmpty()) {
                throw new InvalidConfigurationException("Configuration " + name + " must not be empty");
            }
        };
    }
}
