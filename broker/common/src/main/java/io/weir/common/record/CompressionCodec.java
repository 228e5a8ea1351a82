package io.weir.common.record;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Compresses and decompresses the records section of a batch (everything after the 61-byte header). One
 * implementation per {@link CompressionType}; implementations are stateless and safe to share across threads.
 *
 * <p>The compressed form is a self-delimiting stream in the codec's framing (gzip member, xerial snappy
 * stream, LZ4 frame, zstd frame), so the reader needs no uncompressed length.
 */
public interface CompressionCodec {

    /** The type whose attribute bits select this codec. */
    CompressionType type();

    /**
     * Writes the compressed form of {@code src} (position to limit) to {@code out}. Leaves {@code src}'s
     * position unchanged and does not close {@code out}.
     */
    void compress(ByteBuffer src, OutputStream out) throws IOException;

    /**
     * Returns the decompressed form of {@code src} (position to limit) as a heap buffer at position 0. Leaves
     * {@code src}'s position unchanged.
     *
     * @throws IOException if the bytes are not a valid stream of this codec's format
     */
    ByteBuffer decompress(ByteBuffer src) throws IOException;
}
