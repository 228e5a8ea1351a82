package io.weir.peer;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link GroupBehaviour} on Weir's embedded broker, with Weir's in-process clients. */
class EmbeddedGroupBehaviourTest extends GroupBehaviour {
    @RegisterExtension
    static final EmbeddedCluster CLUSTER = new EmbeddedCluster();

    @Override
    Clients clients() {
        return CLUSTER.clients();
    }
}
