package io.weir.common.transport;

import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.protocol.BrokerApi;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code bootstrap.servers} to a {@link BrokerApi}. An embedded broker registers itself under
 * {@code embedded:<name>} while it is open, so a client configured the Kafka way — a string in its
 * properties — finds the broker in the same JVM. Network addresses ({@code host:port}) never get here: the
 * clients hand them to their network implementations (kafka-clients behind Weir's interfaces) first. {@link #openEmbedded} opens a broker through the
 * {@link EmbeddedBrokerProvider} on the class path, for code that must not name the server.
 */
public final class Transports {
    public static final String EMBEDDED_PREFIX = "embedded:";
    /**
     * The broker key naming an embedded broker, so that clients reach it at {@code embedded:<name>}; without it the
     * broker makes up a name. Here, rather than only in the server's configuration, so that code which opens a
     * broker through {@link #openEmbedded} can set it without naming the server.
     */
    public static final String EMBEDDED_NAME_CONFIG = "weir.embedded.name";

    private static final Map<String, BrokerApi> EMBEDDED = new ConcurrentHashMap<>();

    private Transports() {}

    /**
     * Opens an embedded broker through the {@link EmbeddedBrokerProvider} on the class path.
     *
     * @throws InvalidConfigurationException if no provider is there (the {@code io.weir:server} artifact is missing)
     */
    public static EmbeddedBrokerHandle openEmbedded(Map<String, ?> brokerConfig) {
        EmbeddedBrokerProvider provider = ServiceLoader.load(
                        EmbeddedBrokerProvider.class, Transports.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new InvalidConfigurationException("No embedded broker on the class path: add the "
                        + "io.weir:server artifact to run one in this process, or set bootstrap.servers to a broker"));
        return provider.open(brokerConfig);
    }

    /**
     * Checks, before an embedded broker opens anything, that its name is free; {@link #register} checks again.
     *
     * @throws InvalidConfigurationException if an embedded broker of that name is open in this JVM
     */
    public static void ensureUnused(String name) {
        if (EMBEDDED.containsKey(name)) {
            throw nameTaken(name);
        }
    }

    /**
     * Called by an embedded broker when it opens; the name must be unique in this JVM.
     *
     * @return the broker's {@code bootstrap.servers}: {@code embedded:<name>}
     * @throws InvalidConfigurationException if an embedded broker of that name is open in this JVM
     */
    public static String register(String name, BrokerApi api) {
        if (EMBEDDED.putIfAbsent(name, api) != null) {
            throw nameTaken(name);
        }
        return EMBEDDED_PREFIX + name;
    }

    private static InvalidConfigurationException nameTaken(String name) {
        return new InvalidConfigurationException("An embedded broker named '" + name + "' is already open in this "
                + "JVM: close it first, or give this broker another " + EMBEDDED_NAME_CONFIG);
    }

    /** Called by an embedded broker when it closes: removes {@code name} if {@code api} is what it resolves to. */
    public static void unregister(String name, BrokerApi api) {
        EMBEDDED.remove(name, api);
    }

    /** The first reachable server of the list. */
    public static BrokerApi connect(List<String> bootstrapServers) {
        for (String server : bootstrapServers) {
            if (server.startsWith(EMBEDDED_PREFIX)) {
                BrokerApi api = EMBEDDED.get(server.substring(EMBEDDED_PREFIX.length()));
                if (api != null) {
                    return api;
                }
            }
        }
        throw new InvalidConfigurationException("No broker reachable at bootstrap.servers=" + bootstrapServers
                + ": no embedded broker (" + EMBEDDED_PREFIX + "<name>, see EmbeddedBroker.bootstrapServers()) of "
                + "that name is open in this JVM; open brokers: " + EMBEDDED.keySet());
    }
}
