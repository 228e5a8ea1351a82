package io.weir.common.serialization;

import io.weir.common.errors.SerializationException;

/**
 * Accepts only absent data. Stateless and thread-safe.
 *
 * @throws SerializationException (from {@code deserialize}) naming the topic and size if bytes are present
 */
public final class VoidDeserializer implements Deserializer<Void> {
    @Override
    public Void deserialize(String topic, byte[] data) {
        if (data != null) {
            throw new SerializationException(
                    "VoidDeserializer for topic '" + topic + "' expected null data but got " + data.length + " bytes");
        }
        return null;
    }
}
