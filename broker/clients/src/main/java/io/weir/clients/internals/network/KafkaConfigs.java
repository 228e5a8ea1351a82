package io.weir.clients.internals.network;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What building a Kafka client's properties from a Weir client's config shares across the three clients (each
 * client's own mapping is in its {@code internals.network} package). Weir's keys are Kafka's, so the mapping is a
 * copy: first every value Weir parsed (a config from a builder has no originals), under its Kafka key; then, by
 * {@link #passThrough}, every other key the user gave that the Kafka client knows (a Kafka-only key such as
 * {@code socket.connection.setup.timeout.ms} passes straight through); keys neither knows are dropped, so Kafka
 * logs no unknown-key warnings for Weir-only settings. Stateless and thread-safe.
 */
public final class KafkaConfigs {
    private KafkaConfigs() {}

    /** Kafka's {@code bootstrap.servers} value. */
    public static String servers(List<String> bootstrapServers) {
        return String.join(",", bootstrapServers);
    }

    /**
     * Copies into {@code props} every original key Kafka knows that is not mapped by the caller (in
     * {@code mappedHere}) and not already set.
     */
    public static void passThrough(
            Map<String, ?> originals, Set<String> kafkaKeys, Set<String> mappedHere, Map<String, Object> props) {
        originals.forEach((key, value) -> {
            if (kafkaKeys.contains(key) && !mappedHere.contains(key) && !props.containsKey(key) && value != null) {
                props.put(key, value);
            }
        });
    }

    /**
     * Closes the plugins a failed Kafka client construction leaves behind (Weir serializers, adapted instances in
     * {@code props}), so they do not leak; their own failures are added to {@code failure} as suppressed.
     */
    public static void closeAfterFailure(RuntimeException failure, Map<String, Object> props, Object... plugins) {
        java.util.List<Object> all = new java.util.ArrayList<>(java.util.Arrays.asList(plugins));
        if (props != null) {
            props.values().stream().filter(AutoCloseable.class::isInstance).forEach(all::add);
        }
        for (Object plugin : all) {
            if (plugin instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
