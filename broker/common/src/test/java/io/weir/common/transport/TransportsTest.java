package io.weir.common.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.InvalidConfigurationException;
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
}
