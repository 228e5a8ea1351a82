package io.weir.common.serialization;

/**
 * Reads what {@link LongSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.common.errors.SerializationException (from {@code deserialize}) unless the data is exactly
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
