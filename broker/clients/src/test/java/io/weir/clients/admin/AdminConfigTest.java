package io.weir.clients.admin;

import static io.weir.clients.internals.ConfigAssertions.assertSameError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminConfigTest {

    @Test
    void builderRefusesEveryRepeatedSetterNamingTheKey() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> AdminConfig.builder().requestTimeoutMs(5).requestTimeoutMs(6));
        assertTrue(e.getMessage().contains("request.timeout.ms"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> AdminConfig.builder().clientId("a").clientId("b"));
        assertTrue(e.getMessage().contains("client.id"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> AdminConfig.builder().bootstrapServers("embedded:a").bootstrapServers("embedded:b"));
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }

    @Test
    void builderDefaultsAreTheDefinitionsDefaults() {
        AdminConfig c = AdminConfig.builder().bootstrapServers("embedded:x").build();
        assertEquals(AdminConfig.DEFINITION.defaultValue(AdminConfig.CLIENT_ID), c.clientId());
        assertEquals(AdminConfig.DEFINITION.defaultValue(AdminConfig.REQUEST_TIMEOUT_MS), c.requestTimeoutMs());
        assertEquals(new AdminConfig(List.of("embedded:x"), "", 30_000), c);
        assertEquals(AdminConfig.from(Map.of("bootstrap.servers", "embedded:x")), c);
    }

    @Test
    void builderAndPropertiesRefuseABadValueWithTheSameMessage() {
        assertSameError(
                () -> AdminConfig.builder().requestTimeoutMs(0),
                () -> AdminConfig.from(Map.of("bootstrap.servers", "embedded:x", "request.timeout.ms", "0")));
        assertSameError(
                () -> AdminConfig.builder().bootstrapServers(""),
                () -> AdminConfig.from(Map.of("bootstrap.servers", "")));
        assertSameError(() -> AdminConfig.builder().build(), () -> AdminConfig.from(Map.of()));
    }
}
