package io.weir.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a {@link ConfigDef} after parsing and validation, read by typed getters while a component
 * builds its own immutable config record. Not meant to be passed around beyond that.
 */
public final class ParsedConfig {
    private final Map<String, Object> values;
    private final List<String> unknownKeys;
    private final Map<Object, Object> originals;

    ParsedConfig(Map<String, Object> values, List<String> unknownKeys, Map<?, ?> originals) {
        this.values = values;
        this.unknownKeys = List.copyOf(unknownKeys);
        this.originals = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
    }

    /** The parsed value of {@code name}, typed as its definition says. */
    public Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("Configuration key " + name + " is not defined");
        }
        return values.get(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public int getInt(String name) {
        return (Integer) get(name);
    }

    public long getLong(String name) {
        return (Long) get(name);
    }

    public double getDouble(String name) {
        return (Double) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return (List<String>) get(name);
    }

    public Class<?> getClass(String name) {
        return (Class<?>) get(name);
    }

    /** Whether the user set the key, as opposed to it taking its default. */
    public boolean isSet(String name) {
        return originals.containsKey(name);
    }

    /** Keys the definition does not know; kept for plug-ins (serializers, partitioners) that read them. */
    public List<String> unknownKeys() {
        return unknownKeys;
    }

    /** Everything the user passed, for {@code configure(Map)} of plug-ins. */
    public Map<Object, Object> originals() {
        return originals;
    }

    /** {@link #originals()} with string keys and without null keys or values, as plug-ins' {@code configure} takes them. */
    public Map<String, Object> stringKeyedOriginals() {
        Map<String, Object> copy = new LinkedHashMap<>();
        originals.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(String.valueOf(k), v);
            }
        });
        return copy;
    }
}
