package io.weir.common.record;

import java.util.NoSuchElementException;

/**
 * The records of one batch as {@link Record} objects, read by a {@link RecordCursor} (which checks every length
 * and the count). Confined to one thread.
 */
final class RecordIterator implements CloseableIterator<Record> {
    private final RecordCursor cursor;
    private final long baseOffset;

    RecordIterator(RecordCursor cursor, long baseOffset) {
        this.cursor = cursor;
        this.baseOffset = baseOffset;
    }

    @Override
    public boolean hasNext() {
        return cursor.hasNext();
    }

    @Override
    public Record next() {
        if (!cursor.advance()) {
            throw new NoSuchElementException("record batch at base offset " + baseOffset + " has no more records");
        }
        return cursor.toRecord();
    }

    @Override
    public void close() {
        cursor.close(); // drop the decompressed copy now rather than when the iterator is collected
    }

    @Override
    public String toString() {
        return "RecordIterator(" + cursor + ")";
    }
}
