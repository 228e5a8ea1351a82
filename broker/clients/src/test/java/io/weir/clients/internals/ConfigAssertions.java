package io.weir.clients.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.errors.InvalidConfigurationException;
import java.util.Properties;
import org.junit.jupiter.api.function.Executable;

/** What the client config tests share: properties with a broker address, and one error from both paths. */
public final class ConfigAssertions {
    private ConfigAssertions() {}

    /** {@code bootstrap.servers=embedded:test} and the given key-value pairs. */
    public static Properties props(String... keysAndValues) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "embedded:test");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    /** Both refuse with an {@link InvalidConfigurationException}, and with the same message. */
    public static void assertSameError(Executable builder, Executable properties) {
        var fromBuilder = assertThrows(InvalidConfigurationException.class, builder);
        var fromProperties = assertThrows(InvalidConfigurationException.class, properties);
        assertEquals(fromProperties.getMessage(), fromBuilder.getMessage());
    }
}
