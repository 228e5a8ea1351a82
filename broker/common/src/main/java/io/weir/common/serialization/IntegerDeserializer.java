package io.weir.common.serialization;

/**
 * Reads what {@link IntegerSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.common.errors.SerializationException (from {@code deserialize}) unless the data is exactly
 *         4 bytes
 */
public final class IntegerDeserializer implements Deserializer<Integer> {
    @Override
    public Integer deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.check("IntegerDeserializer", topic, data, 4);
        return ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    }
}
