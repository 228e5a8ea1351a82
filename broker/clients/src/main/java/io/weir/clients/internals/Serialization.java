package io.weir.clients.internals;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Serializer;

/** How both producers call a serializer: what it throws becomes a {@link SerializationException}. Stateless. */
public final class Serialization {
    private Serialization() {}

    /**
     * {@code data} serialized for {@code topic}; a {@link SerializationException} passes through, any other runtime
     * exception becomes one naming the topic, the serializer and {@code what} ("key" or "value") was serialized.
     */
    public static <T> byte[] serialize(Serializer<T> serializer, String topic, T data, String what) {
        try {
            return serializer.serialize(topic, data);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "Can't serialize " + what + " of a record to topic '" + topic + "' with "
                            + serializer.getClass().getName() + ": " + e.getMessage(),
                    e);
        }
    }
}
