package io.weir.common.record;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** The identity codec. Batches with {@link CompressionType#NONE} never reach it on the hot paths. */
final class NoneCodec implements CompressionCodec {
    static final NoneCodec INSTANCE = new NoneCodec();

    private NoneCodec() {}

    @Override
    public CompressionType type() {
        return CompressionType.NONE;
    }

    @Override
    public void compress(ByteBuffer src, OutputStream out) throws IOException {
        StreamBuffers.writeTo(src, out);
    }

    @Override
    public ByteBuffer decompress(ByteBuffer src) {
        return src.slice();
    }
}
