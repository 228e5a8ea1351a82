package io.weir.common.config;

import java.util.Objects;

/**
 * A resource with a configuration, as Kafka's {@code ConfigResource}: a topic by its name, or a broker by its
 * node id ({@code "0"}; {@code ""} means the cluster-wide default). Immutable.
 *
 * <pre>{@code
 * admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "orders")));
 * }</pre>
 */
public record ConfigResource(Type type, String name) {

    /** The resource types Weir has configuration for. */
    public enum Type {
        TOPIC,
        BROKER
    }

    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }
}
