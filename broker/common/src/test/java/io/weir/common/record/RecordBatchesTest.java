package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {

    private static ByteBuffer log(ByteBuffer... batches) {
        int total = 0;
        for (ByteBuffer b : batches) {
            total += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    @Test
    void validBytesStopsAtTheFirstBatchWithABadCrc() {
        ByteBuffer a = RecordBatchTest.oneRecord(-1L, -1);
        ByteBuffer b = RecordBatchTest.oneRecord(3L, 0);
        ByteBuffer c = RecordBatchTest.oneRecord(-1L, -1);
        ByteBuffer log = log(a, b, c);
        int bStart = a.remaining();
        log.put(bStart + RecordBatch.HEADER_SIZE, (byte) (log.get(bStart + RecordBatch.HEADER_SIZE) ^ 0x10));
        assertEquals(bStart, RecordBatches.validBytes(log));
    }

    @Test
    void validBytesStopsAtAnImpossibleLength() {
        ByteBuffer a = RecordBatchTest.oneRecord(-1L, -1);
        ByteBuffer log = ByteBuffer.allocate(a.remaining() + 20);
        log.put(a.duplicate()).putLong(0L).putInt(3).flip().limit(log.capacity());
        assertEquals(a.remaining(), RecordBatches.validBytes(log));
        Iterator<RecordBatch> it = RecordBatches.iterator(log);
        it.next();
        assertThrows(CorruptRecordException.class, it::hasNext);
    }

    @Test
    void iteratorAssignsEachBatchItsOwnBytes() {
        ByteBuffer log = log(RecordBatchTest.oneRecord(-1L, -1), RecordBatchTest.oneRecord(8L, 100));
        Iterator<RecordBatch> it = RecordBatches.iterator(log);
        RecordBatch first = it.next();
        RecordBatch second = it.next();
        assertFalse(it.hasNext());
        first.ensureValid();
        second.ensureValid();
        assertEquals(-1L, first.producerId());
        assertEquals(8L, second.producerId());
        assertEquals(0, log.position());
    }

    @Test
    void emptyBufferHasNoBatchesAndNoValidBytes() {
        assertFalse(RecordBatches.iterator(ByteBuffer.allocate(0)).hasNext());
        assertEquals(0, RecordBatches.validBytes(ByteBuffer.allocate(11)));
    }
}
