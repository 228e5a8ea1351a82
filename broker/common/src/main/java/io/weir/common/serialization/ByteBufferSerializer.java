package io.weir.common.serialization;

import java.nio.ByteBuffer;

/**
 * The buffer's remaining bytes, position to limit, as current Kafka does (older Kafka rewound a buffer whose
 * position was at its limit; Weir never guesses). The buffer's position is left unchanged. Thread-safe.
 */
public final class ByteBufferSerializer implements Serializer<ByteBuffer> {
    @Override
    public byte[] serialize(String topic, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()
                && data.arrayOffset() == 0
                && data.position() == 0
                && data.remaining() == data.array().length) {
            return data.array(); // the whole backing array: hand it over without a copy
        }
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }
}
