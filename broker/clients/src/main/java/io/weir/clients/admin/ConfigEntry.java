package io.weir.clients.admin;

import java.util.Objects;

/**
 * One configuration key of a resource, as Kafka's {@code ConfigEntry}: its value and where the value comes
 * from. {@link Admin#describeConfigs} answers with these; {@link AlterConfigOp} takes one built with
 * {@link #ConfigEntry(String, String)}, whose source is {@link ConfigSource#UNKNOWN}. Immutable.
 *
 * @param name        the key, e.g. {@code retention.ms}
 * @param value       its value; null in an {@link AlterConfigOp.OpType#DELETE} operation
 * @param source      where the value comes from
 * @param isSensitive whether the value is a secret (none of Weir's keys is)
 * @param isReadOnly  whether {@link Admin#incrementalAlterConfigs} may change it
 */
public record ConfigEntry(String name, String value, ConfigSource source, boolean isSensitive, boolean isReadOnly) {

    /** Where a value comes from, by Kafka's names; Weir has only the sources listed. */
    public enum ConfigSource {
        /** The topic's own override, set at creation or by {@link Admin#incrementalAlterConfigs}. */
        DYNAMIC_TOPIC_CONFIG,
        /** A broker setting read at start, e.g. {@code log.retention.ms}, that moved the default. */
        STATIC_BROKER_CONFIG,
        /** Kafka's default; no setting changed it. */
        DEFAULT_CONFIG,
        /** Not known: an entry built by a caller for an {@link AlterConfigOp}. */
        UNKNOWN
    }

    public ConfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** An entry to alter a key with: source {@link ConfigSource#UNKNOWN}, not sensitive, not read-only. */
    public ConfigEntry(String name, String value) {
        this(name, value, ConfigSource.UNKNOWN, false, false);
    }

    /** Whether the value is the default, as Kafka's {@code isDefault()}: the source is {@link ConfigSource#DEFAULT_CONFIG}. */
    public boolean isDefault() {
        return source == ConfigSource.DEFAULT_CONFIG;
    }
}
