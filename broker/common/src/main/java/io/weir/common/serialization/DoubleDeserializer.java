package io.weir.common.serialization;

/**
 * Reads what {@link DoubleSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.common.errors.SerializationException (from {@code deserialize}) unless the data is exactly
 *         8 bytes
 */
public final class DoubleDeserializer implements Deserializer<Double> {
    @Override
    public Double deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.check("DoubleDeserializer", topic, data, 8);
        return Double.longBitsToDouble(Bytes.bytesToLong(data));
    }
}
