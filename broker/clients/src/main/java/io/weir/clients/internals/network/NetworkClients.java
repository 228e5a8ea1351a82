package io.weir.clients.internals.network;

import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.transport.Transports;
import java.util.List;

/**
 * Chooses between Weir's in-process clients and the network ones: {@code bootstrap.servers} of
 * {@code host:port} entries selects the network implementations (in each client's {@code internals.network}
 * package), which are kafka-clients' {@code KafkaProducer}, {@code KafkaConsumer} and {@code Admin} behind Weir's
 * interfaces; {@code embedded:<name>} entries keep the in-process clients. A list mixing both is refused, since no
 * client could honour it.
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkClients {
    private NetworkClients() {}

    /**
     * @return true when every entry is a network address
     * @throws InvalidConfigurationException if the list mixes embedded and network entries
     */
    public static boolean selects(List<String> bootstrapServers) {
        long embedded = bootstrapServers.stream()
                .filter(s -> s.startsWith(Transports.EMBEDDED_PREFIX))
                .count();
        if (embedded == 0) {
            return true;
        }
        if (embedded < bootstrapServers.size()) {
            throw new InvalidConfigurationException("Invalid bootstrap.servers=" + bootstrapServers + ": it mixes "
                    + "embedded brokers (" + Transports.EMBEDDED_PREFIX + "<name>) with network addresses "
                    + "(host:port); a client reaches one or the other");
        }
        return false;
    }
}
