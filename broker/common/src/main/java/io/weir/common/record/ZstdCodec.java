package io.weir.common.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Zstandard through zstd-jni's streaming API at level 3 (zstd's and Kafka's default), one frame per batch,
 * buffers recycled through zstd-jni's pool as Kafka does. Kafka reads these frames; byte identity with a
 * Kafka producer holds for the same zstd library version and level, but only roundtrip compatibility is
 * promised.
 */
final class ZstdCodec implements CompressionCodec {
    static final ZstdCodec INSTANCE = new ZstdCodec();

    static final int DEFAULT_LEVEL = 3;

    private ZstdCodec() {}

    @Override
    public CompressionType type() {
        return CompressionType.ZSTD;
    }

    @Override
    public void compress(ByteBuffer src, OutputStream out) throws IOException {
        try (ZstdOutputStreamNoFinalizer zstd =
                new ZstdOutputStreamNoFinalizer(new NonClosingOutputStream(out), RecyclingBufferPool.INSTANCE)) {
            zstd.setLevel(DEFAULT_LEVEL);
            StreamBuffers.writeTo(src, zstd);
        }
    }

    @Override
    public ByteBuffer decompress(ByteBuffer src) throws IOException {
        try (InputStream in =
                new ZstdInputStreamNoFinalizer(StreamBuffers.inputStream(src), RecyclingBufferPool.INSTANCE)) {
            return StreamBuffers.readFully(in, src.remaining() * 4);
        }
    }
}
