package io.weir.clients.admin;

import io.weir.common.config.BuilderValues;
import io.weir.common.config.ConfigDef;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The typed, immutable configuration of an {@link Admin} client, parsed once from Kafka's string keys
 * ({@link #from(Map)}) or built fluently ({@link #builder()}).
 */
public record AdminConfig(List<String> bootstrapServers, String clientId, int requestTimeoutMs) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";

    /** The keys an admin client understands, with Kafka's defaults. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    BOOTSTRAP_SERVERS,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT,
                    ConfigDef.nonEmptyList(),
                    "Where the broker is: embedded:<name> for an embedded broker (EmbeddedBroker.bootstrapServers()).")
            .define(CLIENT_ID, ConfigDef.Type.STRING, "", "A name for this client in logs and errors.")
            .define(
                    REQUEST_TIMEOUT_MS,
                    ConfigDef.Type.INT,
                    30_000,
                    ConfigDef.atLeast(1),
                    "How long to wait for the broker to answer one request before failing it with a TimeoutException.");

    public AdminConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        Objects.requireNonNull(clientId, "clientId");
        if (bootstrapServers.isEmpty()) {
            throw new InvalidConfigurationException("Configuration " + BOOTSTRAP_SERVERS + " must not be empty");
        }
        DEFINITION.parseValue(REQUEST_TIMEOUT_MS, requestTimeoutMs);
    }

    public static AdminConfig from(Map<?, ?> configs) {
        return from(DEFINITION.parse(configs));
    }

    public static AdminConfig from(Properties properties) {
        return from(DEFINITION.parse(properties));
    }

    private static AdminConfig from(ParsedConfig c) {
        return new AdminConfig(c.getList(BOOTSTRAP_SERVERS), c.getString(CLIENT_ID), c.getInt(REQUEST_TIMEOUT_MS));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fluent construction. Each setter rejects a bad value at once, with the message {@link #from(Properties)}
     * gives for it, and refuses being called twice; a key never set takes its default from {@link #DEFINITION}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final BuilderValues values = new BuilderValues(DEFINITION);

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            values.set(BOOTSTRAP_SERVERS, servers);
            return this;
        }

        public Builder clientId(String clientId) {
            values.set(CLIENT_ID, clientId);
            return this;
        }

        public Builder requestTimeoutMs(int ms) {
            values.set(REQUEST_TIMEOUT_MS, ms);
            return this;
        }

        /** @throws InvalidConfigurationException if bootstrap servers were not given */
        public AdminConfig build() {
            return from(values.parse());
        }
    }
}
