package io.weir.common.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Snappy in xerial snappy-java's stream framing ({@code SnappyOutputStream}: an 8-byte magic, two version
 * ints, then length-prefixed compressed chunks of up to 32 KiB), which is the framing Kafka writes and reads,
 * not the official snappy framing format. Using the same class with the same default block size makes the
 * bytes identical to a Kafka producer's.
 */
final class SnappyCodec implements CompressionCodec {
    static final SnappyCodec INSTANCE = new SnappyCodec();

    private SnappyCodec() {}

    @Override
    public CompressionType type() {
        return CompressionType.SNAPPY;
    }

    @Override
    public void compress(ByteBuffer src, OutputStream out) throws IOException {
        try (SnappyOutputStream snappy = new SnappyOutputStream(new NonClosingOutputStream(out))) {
            StreamBuffers.writeTo(src, snappy);
        }
    }

    @Override
    public ByteBuffer decompress(ByteBuffer src) throws IOException {
        try (InputStream in = new SnappyInputStream(StreamBuffers.inputStream(src))) {
            return StreamBuffers.readFully(in, src.remaining() * 4);
        }
    }
}
