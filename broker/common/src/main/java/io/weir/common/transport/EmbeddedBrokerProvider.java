package io.weir.common.transport;

import java.util.Map;

/**
 * Opens a broker inside this process. The server module provides the one implementation, registered for
 * {@link java.util.ServiceLoader}; code above the clients (the streams runtime) that wants an embedded broker
 * when no {@code bootstrap.servers} is given opens it through {@link Transports#openEmbedded}, so it compiles
 * against the clients alone and needs the server only on its runtime class path.
 */
public interface EmbeddedBrokerProvider {

    /**
     * Opens a broker configured with Kafka's broker keys ({@code log.dirs}, {@code num.partitions}, ...). The
     * broker registers itself with {@link Transports} while it is open, under {@link EmbeddedBrokerHandle#bootstrapServers()}:
     * {@code embedded:<name>}, where {@link Transports#EMBEDDED_NAME_CONFIG} gives the name.
     *
     * @throws io.weir.common.errors.InvalidConfigurationException for a bad key or value, or a name another open
     *         embedded broker holds
     * @throws io.weir.common.errors.KafkaStorageException if the data directory cannot be opened
     */
    EmbeddedBrokerHandle open(Map<String, ?> brokerConfig);
}
