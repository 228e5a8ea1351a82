package io.weir.broker.network.internals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Encodes a response (size prefix, header, body) with kafka-clients' generated message classes into a Netty buffer.
 * A large byte buffer in the body, which is what a Fetch answer's record batches are, is not copied: it becomes a
 * component of the composite buffer the socket writes from, so the batch bytes the broker read go to the socket as
 * they are. Everything else is written into small heap buffers. Stateless; any thread.
 */
final class ResponseEncoder {
    /** Below this a buffer is copied: a component per tiny buffer would cost more than the copy. */
    private static final int WRAP_THRESHOLD = 4096;

    private ResponseEncoder() {}

    static ByteBuf encode(ByteBufAllocator alloc, ResponseHeader header, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.data().size(cache, header.headerVersion());
        int bodySize = body.size(cache, version);
        BufWritable out = new BufWritable(alloc, Math.min(headerSize + bodySize + 4, 64 * 1024));
        try {
            out.writeInt(headerSize + bodySize);
            header.data().write(out, cache, header.headerVersion());
            body.write(out, cache, version);
            return out.finish();
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * A {@link Writable} over a composite of heap buffers and wrapped large byte buffers. The first heap buffer is
     * sized for the whole answer (up to 64 KiB); the ones between wrapped buffers start small and grow, since what
     * lies between two partitions' records is a few dozen bytes.
     */
    private static final class BufWritable implements Writable {
        /** The first size of a heap buffer that follows a wrapped one. */
        private static final int BETWEEN_WRAPPED = 256;

        private final ByteBufAllocator alloc;
        private CompositeByteBuf composite;
        private ByteBuf current;

        BufWritable(ByteBufAllocator alloc, int firstChunk) {
            this.alloc = alloc;
            this.current = alloc.heapBuffer(Math.max(firstChunk, 64));
        }

        ByteBuf finish() {
            if (composite == null) {
                return current;
            }
            composite.addComponent(true, current);
            current = null;
            return composite;
        }

        /** Frees what was written so far: the encoding failed. */
        void release() {
            if (current != null) {
                current.release();
                current = null;
            }
            if (composite != null) {
                composite.release();
                composite = null;
            }
        }

        @Override
        public void writeByte(byte val) {
            current.writeByte(val);
        }

        @Override
        public void writeShort(short val) {
            current.writeShort(val);
        }

        @Override
        public void writeInt(int val) {
            current.writeInt(val);
        }

        @Override
        public void writeLong(long val) {
            current.writeLong(val);
        }

        @Override
        public void writeDouble(double val) {
            current.writeDouble(val);
        }

        @Override
        public void writeByteArray(byte[] arr) {
            current.writeBytes(arr);
        }

        @Override
        public void writeUnsignedVarint(int i) {
            while ((i & 0xFFFFFF80) != 0L) {
                current.writeByte((i & 0x7F) | 0x80);
                i >>>= 7;
            }
            current.writeByte(i);
        }

        @Override
        public void writeByteBuffer(ByteBuffer buf) {
            if (buf.remaining() < WRAP_THRESHOLD) {
                current.writeBytes(buf.duplicate());
                return;
            }
            if (composite == null) {
                composite = alloc.compositeHeapBuffer(Integer.MAX_VALUE);
            }
            composite.addComponent(true, current);
            current = null;
            composite.addComponent(true, Unpooled.wrappedBuffer(buf.duplicate()));
            current = alloc.heapBuffer(BETWEEN_WRAPPED);
        }

        @Override
        public void writeVarint(int i) {
            writeUnsignedVarint((i << 1) ^ (i >> 31));
        }

        @Override
        public void writeVarlong(long i) {
            long v = (i << 1) ^ (i >> 63);
            while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
                current.writeByte(((int) v & 0x7F) | 0x80);
                v >>>= 7;
            }
            current.writeByte((int) v);
        }
    }
}
