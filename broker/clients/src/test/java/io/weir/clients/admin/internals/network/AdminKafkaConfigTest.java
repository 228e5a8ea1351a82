package io.weir.clients.admin.internals.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.admin.AdminConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a Weir admin config becomes kafka-clients' properties; no broker. */
class AdminKafkaConfigTest {
    @Test
    void usersDefaultApiTimeoutIsKeptAndOtherwiseAtLeastTheRequestTimeout() {
        Map<String, Object> given = Map.of("bootstrap.servers", "a:1", "default.api.timeout.ms", 5_000);
        assertEquals(
                5_000, AdminKafkaConfig.admin(AdminConfig.from(given), given).get("default.api.timeout.ms"));
        Map<String, Object> slow = Map.of("bootstrap.servers", "a:1", "request.timeout.ms", 90_000);
        assertEquals(
                90_000, AdminKafkaConfig.admin(AdminConfig.from(slow), slow).get("default.api.timeout.ms"));
    }
}
