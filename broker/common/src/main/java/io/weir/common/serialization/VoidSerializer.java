package io.weir.common.serialization;

/** For records that have no key or no value: always null bytes. Stateless and thread-safe. */
public final class VoidSerializer implements Serializer<Void> {
    @Override
    public byte[] serialize(String topic, Void data) {
        return null;
    }
}
