package io.weir.broker.client.serialization;

import io.weir.broker.client.Deserializer;

/** Passes the array through unchanged (not copied). Stateless and thread-safe. */
public final class ByteArrayDeserializer implements Deserializer<byte[]> {
    @Override
    public byte[] deserialize(String topic, byte[] data) {
        return data;
    }
}
