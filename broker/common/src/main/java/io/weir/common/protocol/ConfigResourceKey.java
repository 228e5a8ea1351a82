package io.weir.common.protocol;

import java.util.Objects;

/**
 * A resource whose configuration is described or altered, named as Kafka's DescribeConfigs and
 * IncrementalAlterConfigs name it: a type, with Kafka's wire code, and a name — a topic's name, or for a
 * broker its node id ({@code ""} for the cluster-wide default).
 */
public record ConfigResourceKey(Type type, String name) {

    public enum Type {
        TOPIC(2),
        BROKER(4);

        private final byte code;

        Type(int code) {
            this.code = (byte) code;
        }

        /** Kafka's {@code ResourceType} byte. */
        public byte code() {
            return code;
        }
    }

    public ConfigResourceKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }
}
