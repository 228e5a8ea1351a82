package io.weir.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a typed config builder has been given, kept as the values of its {@link ConfigDef}'s keys so that
 * {@code build()} parses them through the same {@link ConfigDef#parse(Map)} as {@code Properties} do: a key a
 * builder never set takes the definition's default, and a builder restates neither defaults nor rules.
 *
 * <p>{@link #set} refuses a key set before and checks the value against its definition at once, with the
 * message the string path gives for the same value. Not thread-safe, like the builders that hold one.
 */
public final class BuilderValues {
    private final ConfigDef definition;
    private final Map<String, Object> values = new LinkedHashMap<>();

    public BuilderValues(ConfigDef definition) {
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    /**
     * Records {@code value} for {@code name}.
     *
     * @param value a value of the key's type, or its string form
     * @throws IllegalStateException if {@code name} was set before, naming it and the value it holds
     * @throws NullPointerException if {@code value} is null
     * @throws io.weir.common.errors.InvalidConfigurationException as {@link ConfigDef#parse(Map)} would for this value
     */
    public BuilderValues set(String name, Object value) {
        if (values.containsKey(name)) {
            throw new IllegalStateException(name + " was already set to " + values.get(name) + " on this builder");
        }
        Objects.requireNonNull(value, name);
        values.put(name, definition.parseValue(name, value));
        return this;
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    /**
     * The values set so far with every other key at its default, parsed as {@code Properties} would be.
     *
     * @throws io.weir.common.errors.InvalidConfigurationException if a required key was not set
     */
    public ParsedConfig parse() {
        return definition.parse(Collections.unmodifiableMap(values));
    }
}
