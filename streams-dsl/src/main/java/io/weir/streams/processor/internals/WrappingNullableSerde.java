package io.weir.streams.processor.internals;

import io.weir.common.serialization.Serde;

/**
 * A serializer or deserializer that wraps a serde the topology may leave unset, as Kafka's
 * {@code WrappingNullableSerializer}: the sink or source node that uses it hands it the application's
 * {@code default.key.serde} and {@code default.value.serde} when its task starts, and it keeps the first one it
 * gets (every task of an application has the same defaults).
 */
public interface WrappingNullableSerde {
    void setIfUnset(Serde<?> defaultValueSerde);

    /** What sinks and sources call; a wrapper of a key serde (a foreign-key join's subscription) overrides it. */
    default void setIfUnset(Serde<?> defaultKeySerde, Serde<?> defaultValueSerde) {
        setIfUnset(defaultValueSerde);
    }
}
