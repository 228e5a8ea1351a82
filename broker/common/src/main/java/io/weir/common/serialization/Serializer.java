package io.weir.common.serialization;

import java.util.Map;

/**
 * Turns a key or value into bytes for a record. Implementations named in config need a public no-argument
 * constructor; {@link #configure} is called once, before any {@link #serialize}, with the producer's raw
 * settings.
 *
 * <p>Threading: a producer may call {@code serialize} from any thread that sends, concurrently, so
 * implementations must be thread-safe after {@code configure}. The built-ins are stateless or immutable
 * after configuration.
 *
 * @param <T> the type serialized; {@code null} data conventionally serializes to {@code null} bytes
 */
public interface Serializer<T> extends AutoCloseable {

    /**
     * @param topic the topic the record goes to, for error messages and topic-aware formats
     * @throws io.weir.common.errors.SerializationException if {@code data} cannot be encoded
     */
    byte[] serialize(String topic, T data);

    /** Called once before first use. {@code isKey} tells a key serializer from a value serializer. */
    default void configure(Map<String, ?> configs, boolean isKey) {}

    /** Releases resources; called once when the producer closes. Must not throw. */
    @Override
    default void close() {}
}
