package io.weir.clients.admin;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A resource's configuration, as Kafka's {@code Config}: one {@link ConfigEntry} per key. Immutable. */
public final class Config {
    private final Map<String, ConfigEntry> entries;

    /** @throws IllegalArgumentException if two entries share a name */
    public Config(Collection<ConfigEntry> entries) {
        Map<String, ConfigEntry> byName = new LinkedHashMap<>();
        for (ConfigEntry entry : entries) {
            if (byName.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("Config holds two entries named " + entry.name());
            }
        }
        this.entries = Collections.unmodifiableMap(byName);
    }

    /** Every entry, in the broker's order (by name). */
    public Collection<ConfigEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry of key {@code name}, or null when the resource has no such key (as Kafka's {@code get}). */
    public ConfigEntry get(String name) {
        return entries.get(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Config(entries=" + entries.values() + ")";
    }
}
