package io.weir.common.serialization;

/** The 4 big-endian bytes of {@link Float#floatToRawIntBits} (NaN payloads preserved), as Kafka writes it. Stateless and thread-safe. */
public final class FloatSerializer implements Serializer<Float> {
    @Override
    public byte[] serialize(String topic, Float data) {
        if (data == null) {
            return null;
        }
        int v = Float.floatToRawIntBits(data);
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
