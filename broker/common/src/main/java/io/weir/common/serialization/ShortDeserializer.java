package io.weir.common.serialization;

/**
 * Reads what {@link ShortSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.common.errors.SerializationException (from {@code deserialize}) unless the data is exactly
 *         2 bytes
 */
public final class ShortDeserializer implements Deserializer<Short> {
    @Override
    public Short deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.check("ShortDeserializer", topic, data, 2);
        return (short) (((data[0] & 0xff) << 8) | (data[1] & 0xff));
    }
}
