package io.weir.common.serialization;

/** The 8 big-endian bytes of {@link Double#doubleToRawLongBits} (NaN payloads preserved), as Kafka writes it. Stateless and thread-safe. */
public final class DoubleSerializer implements Serializer<Double> {
    @Override
    public byte[] serialize(String topic, Double data) {
        if (data == null) {
            return null;
        }
        return Bytes.longToBytes(Double.doubleToRawLongBits(data));
    }
}
