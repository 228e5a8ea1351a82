package io.weir.peer;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClientBehaviour} on Weir's embedded broker, with Weir's in-process clients. */
class EmbeddedClientBehaviourTest extends ClientBehaviour {
    @RegisterExtension
    static final EmbeddedCluster CLUSTER = new EmbeddedCluster();

    @Override
    Clients clients() {
        return CLUSTER.clients();
    }
}
