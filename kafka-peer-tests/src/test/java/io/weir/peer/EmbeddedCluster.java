package io.weir.peer;

import io.weir.broker.EmbeddedBroker;
import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A Weir embedded broker in a fresh temporary directory for one test class: the suites' embedded side. */
final class EmbeddedCluster implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedBroker.open(new Properties());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    Clients clients() {
        return new Clients(broker.bootstrapServers());
    }
}
