package io.weir.common.serialization;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Turns a record's key or value bytes back into an object. Implementations named in config need a public
 * no-argument constructor; {@link #configure} is called once, before any {@link #deserialize}.
 *
 * <p>Threading: must be thread-safe after {@code configure}; the built-ins are.
 *
 * @param <T> the type produced; {@code null} bytes conventionally deserialize to {@code null}
 */
public interface Deserializer<T> extends AutoCloseable {

    /**
     * @param topic the topic the record came from, for error messages and topic-aware formats
     * @throws io.weir.common.errors.SerializationException if {@code data} is not a valid encoding
     */
    T deserialize(String topic, byte[] data);

    /**
     * Deserializes the remaining bytes of {@code data} (a record's key or value view) without moving its
     * position. The default copies them; formats that can read a buffer directly may override it.
     */
    default T deserialize(String topic, ByteBuffer data) {
        if (data == null) {
            return deserialize(topic, (byte[]) null);
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return deserialize(topic, bytes);
    }

    /** Called once before first use. {@code isKey} tells a key deserializer from a value deserializer. */
    default void configure(Map<String, ?> configs, boolean isKey) {}

    /** Releases resources; called once when the consumer closes. Must not throw. */
    @Override
    default void close() {}
}
