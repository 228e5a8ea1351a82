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

    /**
     * The most bytes one batch's records section may inflate to (64 MiB). A few KiB of zstd or gzip can expand to
     * gigabytes; past this cap {@link #decompress} fails, so a decompression bomb costs at most this much heap
     * per batch being read. Kafka producers close a batch at {@code batch.size} (16 KiB by default) of
     * compressed bytes, so real batches stay far below it.
     */
    int MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

    /** The failure of a batch that inflates past {@link #MAX_DECOMPRESSED_BYTES}. */
    static IOException tooLarge() {
        return new IOException("it inflates past the " + MAX_DECOMPRESSED_BYTES
                + "-byte cap on a decompressed batch (a decompression bomb, or a batch too large to accept)");
    }

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
     * @throws IOException if the bytes are not a valid stream of this codec's format, or they inflate past
     *     {@link #MAX_DECOMPRESSED_BYTES}
     */
    ByteBuffer decompress(ByteBuffer src) throws IOException;
}
