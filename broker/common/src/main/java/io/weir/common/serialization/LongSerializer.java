package io.weir.common.serialization;

/** An 8-byte big-endian long, as Kafka writes it. Stateless and thread-safe. */
public final class LongSerializer implements Serializer<Long> {
    @Override
    public byte[] serialize(String topic, Long data) {
        if (data == null) {
            return null;
        }
        return Bytes.longToBytes(data);
    }
}
