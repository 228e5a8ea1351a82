package io.weir.broker.internals;

import io.weir.broker.EmbeddedBroker;
import io.weir.common.transport.EmbeddedBrokerHandle;
import io.weir.common.transport.EmbeddedBrokerProvider;
import java.util.Map;

/**
 * The server's {@link EmbeddedBrokerProvider}, listed in {@code META-INF/services}: {@code Transports.openEmbedded}
 * finds it when the server is on the class path. Stateless.
 */
public final class ServiceLoadedBrokerProvider implements EmbeddedBrokerProvider {
    @Override
    public EmbeddedBrokerHandle open(Map<String, ?> brokerConfig) {
        return EmbeddedBroker.open(brokerConfig);
    }
}
