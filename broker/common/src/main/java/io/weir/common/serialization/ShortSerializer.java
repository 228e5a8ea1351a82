package io.weir.common.serialization;

/** A 2-byte big-endian short, as Kafka writes it. Stateless and thread-safe. */
public final class ShortSerializer implements Serializer<Short> {
    @Override
    public byte[] serialize(String topic, Short data) {
        if (data == null) {
            return null;
        }
        short v = data;
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }
}
