package io.weir.clients.admin.internals.network;

import io.weir.clients.admin.AdminConfig;
import io.weir.clients.internals.network.KafkaConfigs;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A Weir {@link AdminConfig} (and the keys the user gave) as kafka-clients' admin properties; stateless. */
final class AdminKafkaConfig {
    private AdminKafkaConfig() {}

    static Map<String, Object> admin(AdminConfig c, Map<?, ?> originals) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", KafkaConfigs.servers(c.bootstrapServers()));
        p.put("client.id", c.clientId());
        p.put("request.timeout.ms", c.requestTimeoutMs());
        Map<String, Object> given = new HashMap<>();
        originals.forEach((k, v) -> given.put(String.valueOf(k), v));
        KafkaConfigs.passThrough(given, AdminClientConfig.configNames(), Set.of(), p);
        // Kafka refuses a default.api.timeout.ms below request.timeout.ms; its default (60 s) may be. The user's
        // own value, passed through above, is kept.
        p.putIfAbsent("default.api.timeout.ms", Math.max(60_000, c.requestTimeoutMs()));
        return p;
    }
}
