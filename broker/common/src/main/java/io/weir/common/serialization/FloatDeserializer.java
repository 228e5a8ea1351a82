package io.weir.common.serialization;

/**
 * Reads what {@link FloatSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.common.errors.SerializationException (from {@code deserialize}) unless the data is exactly
 *         4 bytes
 */
public final class FloatDeserializer implements Deserializer<Float> {
    @Override
    public Float deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.check("FloatDeserializer", topic, data, 4);
        return Float.intBitsToFloat(
                ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff));
    }
}
