package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks a buffer of consecutive record batches, as found in a segment file or a fetch response. Neither method
 * moves the caller's buffer position; batches are zero-copy views of its bytes. Stateless; the iterators it
 * returns are confined to one thread.
 */
public final class RecordBatches {
    private RecordBatches() {}

    /**
     * Iterates the batches from {@code buffer.position()} to its limit, stopping without error at a trailing
     * batch that is cut short (as a fetch up to a byte limit or a torn write leaves it). CRCs are not checked:
     * call {@link RecordBatch#ensureValid()} on each batch you trust.
     *
     * @throws CorruptRecordException from {@code next()}/{@code hasNext()} when a length field is below the
     *         minimum batch size, since the walk cannot continue past it
     */
    public static Iterator<RecordBatch> iterator(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        return new Iterator<>() {
            private int position = view.position();

            @Override
            public boolean hasNext() {
                return completeBatchSize(view, position) > 0;
            }

            @Override
            public RecordBatch next() {
                int size = completeBatchSize(view, position);
                if (size <= 0) {
                    throw new NoSuchElementException("no complete record batch at position " + position);
                }
                RecordBatch batch =
                        RecordBatch.wrap(view.duplicate().position(position).limit(position + size));
                position += size;
                return batch;
            }
        };
    }

    /** For-each over {@link #iterator(ByteBuffer)}. */
    public static Iterable<RecordBatch> iterable(ByteBuffer buffer) {
        return () -> iterator(buffer);
    }

    /**
     * The length of the longest prefix (from {@code buffer.position()}) made only of complete batches with magic 2
     * and a matching CRC. Log recovery truncates a segment to this length.
     */
    public static int validBytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        int start = view.position();
        int position = start;
        while (true) {
            int size;
            try {
                size = completeBatchSize(view, position);
            } catch (CorruptRecordException e) {
                return position - start;
            }
            if (size <= 0) {
                return position - start;
            }
            RecordBatch batch =
                    RecordBatch.wrap(view.duplicate().position(position).limit(position + size));
            if (!batch.isValid()) {
                return position - start;
            }
            position += size;
        }
    }

    /**
     * The size of the batch at {@code position} if all of it lies before the limit, else 0.
     *
     * @throws CorruptRecordException if its length field is below the minimum for a batch
     */
    private static int completeBatchSize(ByteBuffer view, int position) {
        int remaining = view.limit() - position;
        if (remaining < RecordBatch.LOG_OVERHEAD) {
            return 0;
        }
        int length = view.getInt(position + RecordBatch.LENGTH_OFFSET);
        if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) {
            throw new CorruptRecordException("record batch at buffer position " + position + " has length field "
                    + length + ", below the minimum " + (RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD));
        }
        long size = (long) length + RecordBatch.LOG_OVERHEAD;
        return size <= remaining ? (int) size : 0;
    }
}
