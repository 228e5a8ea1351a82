package io.weir.common.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Stream adapters over byte buffers for the codecs, which speak {@code InputStream}/{@code OutputStream}.
 * Not thread-safe; each instance lives for one compress or decompress call.
 */
final class StreamBuffers {
    private StreamBuffers() {}

    /** Reads a buffer's remaining bytes through a duplicate, so the caller's position never moves. */
    static InputStream inputStream(ByteBuffer src) {
        ByteBuffer b = src.duplicate();
        if (b.hasArray()) {
            return new java.io.ByteArrayInputStream(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        return new InputStream() {
            @Override
            public int read() {
                return b.hasRemaining() ? b.get() & 0xff : -1;
            }

            @Override
            public int read(byte[] dst, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (!b.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(len, b.remaining());
                b.get(dst, off, n);
                return n;
            }

            @Override
            public int available() {
                return b.remaining();
            }
        };
    }

    /** Writes a buffer's remaining bytes to {@code out} without moving the buffer's position. */
    static void writeTo(ByteBuffer src, OutputStream out) throws IOException {
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
        } else {
            byte[] copy = new byte[src.remaining()];
            src.duplicate().get(copy);
            out.write(copy);
        }
    }

    /** Drains {@code in} into a heap buffer at position 0, sized by doubling from {@code sizeHint}. */
    static ByteBuffer readFully(InputStream in, int sizeHint) throws IOException {
        int cap = CompressionCodec.MAX_DECOMPRESSED_BYTES;
        byte[] buf = new byte[Math.min(Math.max(64, sizeHint), cap + 1)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > cap) {
                    throw CompressionCodec.tooLarge();
                }
                buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, cap + 1L));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (n > cap) {
            throw CompressionCodec.tooLarge();
        }
        return ByteBuffer.wrap(buf, 0, n).slice();
    }

    /**
     * A growable heap output buffer that can reserve a prefix (the batch header) before the compressed bytes.
     * Exposes its array so the finished batch is returned without a copy.
     */
    static final class Output extends OutputStream {
        private byte[] buf;
        private int count;

        Output(int initialCapacity, int reserved) {
            this.buf = new byte[Math.max(initialCapacity, reserved)];
            this.count = reserved;
        }

        private void ensure(int extra) {
            int needed = count + extra;
            if (needed < 0) {
                throw new IllegalStateException("batch larger than 2 GiB");
            }
            if (needed > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        int size() {
            return count;
        }

        /** The written bytes, prefix included, as a heap buffer at position 0 with limit = size. */
        ByteBuffer toBuffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
