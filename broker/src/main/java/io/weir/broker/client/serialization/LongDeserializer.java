package io.weir.broker.client.serialization;

import io.weir.broker.client.Deserializer;

/**
 * Reads what {@link LongSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.broker.errors.SerializationException (from {@code deserialize}) unless the data is exactly
 *         8 bytes
 */
public final class LongDeserializer implements Deserializer<Long> {
    @Override
    public Long deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.check("LongDeserializer", topic, data, 8);
        return Bytes.bytesToLong(data);
    }
}
