package io.weir.broker.client.serialization;

import io.weir.broker.client.Deserializer;

/**
 * Reads what {@link DoubleSerializer} writes. Stateless and thread-safe.
 *
 * @throws io.weir.broker.errors.SerializationException (from {@code deserialize}) unless the data is exactly
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
