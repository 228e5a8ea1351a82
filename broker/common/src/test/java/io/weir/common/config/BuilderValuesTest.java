package io.weir.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.InvalidConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuilderValuesTest {
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("servers", ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT, ConfigDef.nonEmptyList(), "Where.")
            .define("linger.ms", ConfigDef.Type.LONG, 5L, ConfigDef.atLeast(0), "How long.");

    @Test
    void aKeyNeverSetTakesTheDefinitionsDefault() {
        ParsedConfig c = new BuilderValues(DEFINITION).set("servers", "a,b").parse();
        assertEquals(5L, c.getLong("linger.ms"));
        assertFalse(c.isSet("linger.ms"));
        assertTrue(c.isSet("servers"));
    }

    @Test
    void aSecondSetOfAKeyIsRefusedNamingItAndItsValue() {
        BuilderValues values = new BuilderValues(DEFINITION).set("linger.ms", 7L);
        var e = assertThrows(IllegalStateException.class, () -> values.set("linger.ms", 8L));
        assertTrue(e.getMessage().contains("linger.ms") && e.getMessage().contains("7"), e.getMessage());
    }

    @Test
    void aBadValueIsRefusedAtOnceWithTheMessageParsingGives() {
        var fromBuilder = assertThrows(
                InvalidConfigurationException.class, () -> new BuilderValues(DEFINITION).set("linger.ms", -1L));
        var fromParse = assertThrows(
                InvalidConfigurationException.class, () -> DEFINITION.parse(Map.of("servers", "a", "linger.ms", "-1")));
        assertEquals(fromParse.getMessage(), fromBuilder.getMessage());
    }

    @Test
    void aRequiredKeyNeverSetFailsTheParse() {
        assertThrows(InvalidConfigurationException.class, () -> new BuilderValues(DEFINITION).parse());
    }
}
