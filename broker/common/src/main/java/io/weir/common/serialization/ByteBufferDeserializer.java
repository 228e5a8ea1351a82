package io.weir.common.serialization;

import java.nio.ByteBuffer;

/** Wraps the array in a buffer without copying. Stateless and thread-safe. */
public final class ByteBufferDeserializer implements Deserializer<ByteBuffer> {
    @Override
    public ByteBuffer deserialize(String topic, byte[] data) {
        return data == null ? null : ByteBuffer.wrap(data);
    }
}
