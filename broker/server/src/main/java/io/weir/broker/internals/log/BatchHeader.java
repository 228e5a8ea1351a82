package io.weir.broker.internals.log;

import io.weir.common.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * Reads the few record-batch header fields the log needs straight from a header-sized buffer read off disk,
 * at an absolute position, without wrapping a whole batch: scanning a segment for an offset or a timestamp
 * touches only these bytes of each batch. The layout is {@link RecordBatch}'s.
 */
final class BatchHeader {
    private static final int BASE_OFFSET = RecordBatch.BASE_OFFSET_OFFSET;
    private static final int LENGTH = RecordBatch.LENGTH_OFFSET;
    private static final int MAGIC = RecordBatch.MAGIC_OFFSET;
    private static final int LAST_OFFSET_DELTA = RecordBatch.LAST_OFFSET_DELTA_OFFSET;
    private static final int MAX_TIMESTAMP = RecordBatch.MAX_TIMESTAMP_OFFSET;
    private static final int LOG_OVERHEAD = RecordBatch.LOG_OVERHEAD;
    static final int SIZE = RecordBatch.HEADER_SIZE;

    private BatchHeader() {}

    static long baseOffset(ByteBuffer b, int at) {
        return b.getLong(at + BASE_OFFSET);
    }

    /** Total size of the batch starting at {@code at}, header included. */
    static int sizeInBytes(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH) + LOG_OVERHEAD;
    }

    static long lastOffset(ByteBuffer b, int at) {
        return b.getLong(at + BASE_OFFSET) + b.getInt(at + LAST_OFFSET_DELTA);
    }

    /** The last offset minus the base offset; inside the CRC, unlike the base offset. */
    static int lastOffsetDelta(ByteBuffer b, int at) {
        return b.getInt(at + LAST_OFFSET_DELTA);
    }

    static long maxTimestamp(ByteBuffer b, int at) {
        return b.getLong(at + MAX_TIMESTAMP);
    }

    static byte magic(ByteBuffer b, int at) {
        return b.get(at + MAGIC);
    }
}
