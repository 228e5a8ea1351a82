package io.weir.common.record;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * LZ4 in the LZ4 frame format, written the way Kafka's LZ4 block output stream writes it for v2 batches, so the
 * bytes are identical to a Kafka producer's at the default level:
 *
 * <pre>
 *   magic 0x184D2204 (LE) | FLG 0x60 | BD 0x40 | HC | blocks... | end mark 0x00000000
 *   FLG: version 01, independent blocks, no block checksum, no content size, no content checksum
 *   BD:  64 KiB maximum block size
 *   HC:  second byte of xxhash32(FLG..BD, seed 0), i.e. (hash >> 8) &amp; 0xff, as the spec says (Kafka's
 *        pre-v2 "broken" checksum that also covered the magic is neither written nor accepted)
 *   block: int32 LE size, high bit set when the block is stored uncompressed, then the bytes
 * </pre>
 *
 * Each block is compressed with lz4-java's fast compressor. The reader accepts any frame a conforming writer
 * could produce with independent blocks: content size, block and content checksums are parsed (and checksums
 * verified).
 */
final class Lz4Codec implements CompressionCodec {
    static final Lz4Codec INSTANCE = new Lz4Codec();

    static final int MAGIC = 0x184D2204;
    private static final int BLOCK_SIZE_ID_64KB = 4;
    private static final int MAX_BLOCK_SIZE = 1 << (2 * BLOCK_SIZE_ID_64KB + 8);
    private static final int INCOMPRESSIBLE_MASK = 0x80000000;

    private static final int FLG_VERSION_SHIFT = 6;
    private static final int FLG_BLOCK_INDEPENDENCE = 1 << 5;
    private static final int FLG_BLOCK_CHECKSUM = 1 << 4;
    private static final int FLG_CONTENT_SIZE = 1 << 3;
    private static final int FLG_CONTENT_CHECKSUM = 1 << 2;

    private static final byte FLG = (byte) ((1 << FLG_VERSION_SHIFT) | FLG_BLOCK_INDEPENDENCE);
    private static final byte BD = (byte) (BLOCK_SIZE_ID_64KB << 4);

    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
    private final LZ4SafeDecompressor decompressor =
            LZ4Factory.fastestInstance().safeDecompressor();
    private final XXHash32 xxhash = XXHashFactory.fastestInstance().hash32();

    private Lz4Codec() {}

    @Override
    public CompressionType type() {
        return CompressionType.LZ4;
    }

    @Override
    public void compress(ByteBuffer src, OutputStream out) throws IOException {
        byte[] in;
        int off;
        int len = src.remaining();
        if (src.hasArray()) {
            in = src.array();
            off = src.arrayOffset() + src.position();
        } else {
            in = new byte[len];
            src.duplicate().get(in);
            off = 0;
        }
        byte[] header = new byte[7];
        writeIntLE(header, 0, MAGIC);
        header[4] = FLG;
        header[5] = BD;
        header[6] = headerChecksum(header, 4, 2);
        out.write(header);

        byte[] scratch = new byte[4 + compressor.maxCompressedLength(MAX_BLOCK_SIZE)];
        for (int pos = off, end = off + len; pos < end; pos += MAX_BLOCK_SIZE) {
            int blockLen = Math.min(MAX_BLOCK_SIZE, end - pos);
            int compressed = compressor.compress(in, pos, blockLen, scratch, 4);
            if (compressed >= blockLen) {
                // Incompressible: storing the raw block is both smaller and what the frame format asks for.
                writeIntLE(scratch, 0, blockLen | INCOMPRESSIBLE_MASK);
                out.write(scratch, 0, 4);
                out.write(in, pos, blockLen);
            } else {
                writeIntLE(scratch, 0, compressed);
                out.write(scratch, 0, 4 + compressed);
            }
        }
        out.write(new byte[4]); // end mark
    }

    @Override
    public ByteBuffer decompress(ByteBuffer src) throws IOException {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 7) {
            throw new IOException("LZ4 frame of " + in.remaining() + " bytes is shorter than its 7-byte header");
        }
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("LZ4 frame magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        int descriptorStart = in.position();
        int flg = in.get() & 0xff;
        int bd = in.get() & 0xff;
        if ((flg >>> FLG_VERSION_SHIFT) != 1 || (flg & 0x03) != 0) {
            throw new IOException(String.format("LZ4 frame FLG 0x%02x: unsupported version or reserved bits", flg));
        }
        if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
            throw new IOException("LZ4 frame with dependent blocks is not supported");
        }
        int blockSizeId = (bd >>> 4) & 7;
        if ((bd & 0x8f) != 0 || blockSizeId < 4) {
            throw new IOException(String.format("LZ4 frame BD 0x%02x: reserved bits or bad block size", bd));
        }
        int maxBlockSize = 1 << (2 * blockSizeId + 8);
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            need(in, 8);
            in.getLong(); // informational only; the end mark delimits the content
        }
        need(in, 1);
        int descriptorLen = in.position() - descriptorStart;
        byte expectedHc = headerChecksum(in, descriptorStart, descriptorLen);
        byte hc = in.get();
        if (hc != expectedHc) {
            throw new IOException(String.format(
                    "LZ4 frame descriptor checksum 0x%02x, computed 0x%02x", hc & 0xff, expectedHc & 0xff));
        }

        StreamBuffers.Output out = new StreamBuffers.Output(Math.max(64, in.remaining() * 4), 0);
        byte[] block = new byte[maxBlockSize];
        while (true) {
            need(in, 4);
            int word = in.getInt();
            if (word == 0) {
                break;
            }
            int size = word & ~INCOMPRESSIBLE_MASK;
            if (size > maxBlockSize) {
                throw new IOException("LZ4 block of " + size + " bytes exceeds the frame's maximum " + maxBlockSize);
            }
            need(in, size);
            int blockStart = in.position();
            if ((flg & FLG_BLOCK_CHECKSUM) != 0) {
                need(in, size + 4);
                int expected = xxhash.hash(in, blockStart, size, 0);
                int stored = in.getInt(blockStart + size);
                if (stored != expected) {
                    throw new IOException(
                            String.format("LZ4 block checksum 0x%08x, computed 0x%08x", stored, expected));
                }
            }
            if ((word & INCOMPRESSIBLE_MASK) != 0) {
                in.get(block, 0, size);
                requireRoom(out, size);
                out.write(block, 0, size);
            } else {
                int n;
                try {
                    n = decompressor.decompress(in, blockStart, size, ByteBuffer.wrap(block), 0, maxBlockSize);
                } catch (LZ4Exception e) {
                    throw new IOException("malformed LZ4 block of " + size + " bytes", e);
                }
                in.position(blockStart + size);
                requireRoom(out, n);
                out.write(block, 0, n);
            }
            if ((flg & FLG_BLOCK_CHECKSUM) != 0) {
                in.getInt();
            }
        }
        if ((flg & FLG_CONTENT_CHECKSUM) != 0) {
            need(in, 4);
            ByteBuffer content = out.toBuffer();
            int expected = xxhash.hash(content, 0, content.limit(), 0);
            int stored = in.getInt();
            if (stored != expected) {
                throw new IOException(String.format("LZ4 content checksum 0x%08x, computed 0x%08x", stored, expected));
            }
        }
        return out.toBuffer().slice();
    }

    private byte headerChecksum(byte[] b, int off, int len) {
        return (byte) ((xxhash.hash(b, off, len, 0) >> 8) & 0xff);
    }

    private byte headerChecksum(ByteBuffer b, int off, int len) {
        return (byte) ((xxhash.hash(b, off, len, 0) >> 8) & 0xff);
    }

    private static void requireRoom(StreamBuffers.Output out, int n) throws IOException {
        if (out.size() > MAX_DECOMPRESSED_BYTES - n) {
            throw CompressionCodec.tooLarge();
        }
    }

    private static void need(ByteBuffer in, int n) throws IOException {
        if (in.remaining() < n) {
            throw new IOException("LZ4 frame truncated: need " + n + " more bytes at offset " + in.position()
                    + ", have " + in.remaining());
        }
    }

    private static void writeIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
