package io.weir.common.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.protocol.BrokerApi;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportsTest {

    @Test
    void openingAnEmbeddedBrokerWithoutTheServerOnTheClassPathSaysWhatIsMissing() {
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Transports.openEmbedded(Map.of()));
        assertTrue(e.getMessage().contains("io.weir:server"), e.getMessage());
    }

    @Test
    void aNetworkAddressIsRefusedNamingTheOpenEmbeddedBrokers() {
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Transports.connect(List.of("localhost:9092")));
        assertTrue(e.getMessage().contains("localhost:9092"), e.getMessage());
    }

    @Test
    void aNameIsTakenOnceNamingTheKeyAndOnlyItsOwnBrokerReleasesIt() {
        BrokerApi first = unusable();
        BrokerApi second = unusable();
        assertEquals("embedded:transports-test", Transports.register("transports-test", first));

        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Transports.register("transports-test", second));
        assertTrue(
                e.getMessage().contains("'transports-test'")
                        && e.getMessage().contains(Transports.EMBEDDED_NAME_CONFIG),
                e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> Transports.ensureUnused("transports-test"));

        Transports.unregister("transports-test", second); // the refused one, closing: not its name to release
        assertSame(first, Transports.connect(List.of("embedded:transports-test")));
        Transports.unregister("transports-test", first);
        Transports.ensureUnused("transports-test");
    }

    private static BrokerApi unusable() {
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
