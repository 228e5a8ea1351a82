package io.weir.common.serialization;

import java.util.Map;

/**
 * A serializer and a deserializer of one type, as Kafka's {@code Serde}: what streams operators take wherever
 * a type crosses a topic or a store. {@link Serdes} has the standard ones.
 *
 * @param <T> the type both directions handle
 */
public interface Serde<T> extends AutoCloseable {

    Serializer<T> serializer();

    Deserializer<T> deserializer();

    /** Configures both directions. */
    default void configure(Map<String, ?> configs, boolean isKey) {
        serializer().configure(configs, isKey);
        deserializer().configure(configs, isKey);
    }

    /** Closes both directions. */
    @Override
    default void close() {
        serializer().close();
        deserializer().close();
    }
}
