package io.weir.clients.admin;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create: its name, its partition count ({@code -1} takes the broker's {@code num.partitions})
 * and per-topic configuration overrides such as {@code max.message.bytes} or {@code retention.ms}.
 * Immutable; the name is validated by the broker (Kafka's rules), which answers with
 * {@link io.weir.common.errors.InvalidTopicException} naming it.
 */
public record NewTopic(String name, int numPartitions, Map<String, String> configs) {

    public NewTopic {
        Objects.requireNonNull(name, "name");
        if (numPartitions == 0 || numPartitions < -1) {
            throw new IllegalArgumentException("numPartitions for topic '" + name + "' must be positive or -1 "
                    + "(broker default), but was " + numPartitions);
        }
        configs = Map.copyOf(configs);
    }

    public NewTopic(String name, int numPartitions) {
        this(name, numPartitions, Map.of());
    }

    /** The same topic with {@code configs} as its configuration overrides. */
    public NewTopic configs(Map<String, String> configs) {
        return new NewTopic(name, numPartitions, configs);
    }
}
