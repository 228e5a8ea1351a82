package io.weir.common.protocol;

import java.util.List;
import java.util.Map;

/** Per resource of the request: its configuration, or why it cannot be described. */
public record DescribeConfigsResponse(Map<ConfigResourceKey, ResourceConfigs> results) {
    public DescribeConfigsResponse {
        results = Map.copyOf(results);
    }

    /** @param configs every key of the resource, sorted by name; empty when {@code error} is not NONE */
    public record ResourceConfigs(ApiError error, List<ConfigValue> configs) {
        public ResourceConfigs {
            configs = List.copyOf(configs);
        }

        public static ResourceConfigs failed(ApiError error) {
            return new ResourceConfigs(error, List.of());
        }
    }

    /** One key's effective value and where it comes from. */
    public record ConfigValue(String name, String value, Source source, boolean readOnly, boolean sensitive) {}

    /** Kafka's {@code DescribeConfigsResponse.ConfigSource}, with its wire codes; only the sources Weir has. */
    public enum Source {
        UNKNOWN(0),
        /** The topic's own override. */
        TOPIC_CONFIG(1),
        /** A broker setting from its properties at start (e.g. {@code log.retention.ms}). */
        STATIC_BROKER_CONFIG(4),
        /** The default, where no setting changed it. */
        DEFAULT_CONFIG(5);

        private final byte code;

        Source(int code) {
            this.code = (byte) code;
        }

        public byte code() {
            return code;
        }
    }
}
