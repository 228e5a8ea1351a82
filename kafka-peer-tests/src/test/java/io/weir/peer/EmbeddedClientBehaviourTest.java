package io.weir.peer;

import io.weir.broker.EmbeddedBroker;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ClientBehaviour} on Weir's embedded broker, with Weir's in-process clients. */
class EmbeddedClientBehaviourTest extends ClientBehaviour {
    private static EmbeddedBroker broker;

    @BeforeAll
    static void open() {
        broker = EmbeddedBroker.open(new Properties());
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Override
    Clients clients() {
        return new Clients(broker.bootstrapServers());
    }
}
