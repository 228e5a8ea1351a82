package io.weir.common.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * GZIP through {@code java.util.zip} at the default deflate level, as Kafka does: a single standard gzip
 * member, so Kafka and any gzip tool read it. The deflate stream is the JDK's zlib output for the same input,
 * so it matches what a Kafka producer on the same JDK writes in practice, but only roundtrip compatibility is
 * promised (zlib versions may differ).
 */
final class GzipCodec implements CompressionCodec {
    static final GzipCodec INSTANCE = new GzipCodec();

    /** Kafka's choice of deflater buffer: large enough that the stream makes few native calls. */
    private static final int BUFFER_SIZE = 8 * 1024;

    private GzipCodec() {}

    @Override
    public CompressionType type() {
        return CompressionType.GZIP;
    }

    @Override
    public void compress(ByteBuffer src, OutputStream out) throws IOException {
        try (GZIPOutputStream gz = new GZIPOutputStream(new NonClosingOutputStream(out), BUFFER_SIZE)) {
            StreamBuffers.writeTo(src, gz);
        }
    }

    @Override
    public ByteBuffer decompress(ByteBuffer src) throws IOException {
        try (InputStream in = new GZIPInputStream(StreamBuffers.inputStream(src), BUFFER_SIZE)) {
            return StreamBuffers.readFully(in, src.remaining() * 4);
        }
    }
}
