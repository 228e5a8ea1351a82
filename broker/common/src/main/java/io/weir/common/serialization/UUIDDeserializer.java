package io.weir.common.serialization;

import io.weir.common.errors.SerializationException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads what {@link UUIDSerializer} writes. Stateless and thread-safe.
 *
 * @throws SerializationException (from {@code deserialize}) naming the topic and the text when it is not a
 *         UUID
 */
public final class UUIDDeserializer implements Deserializer<UUID> {
    @Override
    public UUID deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new SerializationException(
                    "UUIDDeserializer for topic '" + topic + "' got '" + text + "' (" + data.length
                            + " bytes), which is not a UUID",
                    e);
        }
    }
}
