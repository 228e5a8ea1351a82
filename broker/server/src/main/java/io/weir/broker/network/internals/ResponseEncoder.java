package io.weir.broker.network.internals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Encodes a response (size prefix, header, body) with kafka-clients' generated message classes into the messages a
 * Netty channel writes in order: buffers, and {@link SegmentFileRegion}s for a Fetch answer's batches that were left
 * in the segment files ({@link FileBatchesRecords}), which the socket then sends from the page cache. A large byte
 * buffer in the body (batches the broker read into the heap) is not copied either: it becomes a component of the
 * composite buffer the socket writes from. Everything else is written into small heap buffers. Stateless; any
 * thread.
 */
final class ResponseEncoder {
    /** Below this a buffer is copied: a component per tiny buffer would cost more than the copy. */
    private static final int WRAP_THRESHOLD = 4096;

    private ResponseEncoder() {}

    /**
     * An encoded answer: the messages to write, in order (each a {@link ByteBuf} or a {@link FileRegion}), owned by
     * whoever holds it until written or {@link #release}d.
     */
    record Encoded(List<Object> parts) {
        void release() {
            for (Object part : parts) {
                ReferenceCountUtil.release(part);
            }
        }
    }

    static Encoded encode(ByteBufAllocator alloc, ResponseHeader header, ApiMessage body, short version) {
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
     * A {@link Writable} over a sequence of parts: composites of heap buffers and wrapped large byte buffers, with
     * file regions between them. The first heap buffer is sized for the whole answer (up to 64 KiB); the ones between
     * wrapped buffers or regions start small and grow, since what lies between two partitions' records is a few
     * dozen bytes.
     */
    private static final class BufWritable implements Writable {
        /** The first size of a heap buffer that follows a wrapped one or a region. */
        private static final int BETWEEN_WRAPPED = 256;

        private final ByteBufAllocator alloc;
        private final List<Object> parts = new ArrayList<>(1);
        private CompositeByteBuf composite;
        private ByteBuf current;

        BufWritable(ByteBufAllocator alloc, int firstChunk) {
            this.alloc = alloc;
            this.current = alloc.heapBuffer(Math.max(firstChunk, 64));
        }

        Encoded finish() {
            endBuffer();
            return new Encoded(parts);
        }

        /** Moves what was written into buffers since the last region into {@link #parts}. */
        private void endBuffer() {
            if (composite == null) {
                parts.add(current);
            } else {
                composite.addComponent(true, current);
                parts.add(composite);
                composite = null;
            }
            current = null;
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
            new Encoded(parts).release();
            parts.clear();
        }

        /** Batches left in a segment file become a region of the answer; any other records are written as bytes. */
        @Override
        public void writeRecords(BaseRecords records) {
            if (!(records instanceof FileBatchesRecords onDisk)) {
                Writable.super.writeRecords(records);
                return;
            }
            if (onDisk.sizeInBytes() == 0) {
                return;
            }
            endBuffer();
            parts.add(new SegmentFileRegion(onDisk.batches()));
            current = alloc.heapBuffer(BETWEEN_WRAPPED);
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
