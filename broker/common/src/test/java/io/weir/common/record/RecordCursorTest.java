package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordCursorTest {

    private static ByteBuffer batchOf(CompressionType compression) {
        RecordBatchBuilder b = new RecordBatchBuilder(compression, 7L, (short) 0, 0, false);
        b.append(100L, utf8("k0"), utf8("value zero"), null);
        b.append(90L, null, utf8("no key"), new Header[] {new Header("h", utf8("v")), new Header("n", null)});
        b.append(110L, utf8("tombstone"), null, new Header[0]);
        b.append(120L, new byte[0], new byte[0], null);
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void describesEachRecordAsTheIteratorReadsIt(CompressionType compression) {
        RecordBatch batch = RecordBatch.wrap(batchOf(compression));
        batch.setBaseOffset(40L);
        List<Record> expected = new ArrayList<>();
        batch.forEach(expected::add);

        RecordCursor cursor = batch.cursor();
        for (Record want : expected) {
            assertTrue(cursor.advance());
            assertEquals(want.offset(), cursor.offset());
            assertEquals(want.timestamp(), cursor.timestamp());
            assertEquals(want.keySize(), cursor.keySize());
            assertEquals(want.valueSize(), cursor.valueSize());
            assertArrayEquals(want.keyBytes(), cursor.keyBytes());
            assertArrayEquals(want.valueBytes(), cursor.valueBytes());
            assertEquals(want.key(), cursor.key());
            assertEquals(want.value(), cursor.value());
            assertArrayEquals(want.headers(), cursor.headers());
            assertEquals(want, cursor.toRecord());
        }
        assertFalse(cursor.advance());
        assertFalse(cursor.hasNext());
        assertEquals(4, expected.size());
        assertNull(expected.get(1).key());
        assertNull(expected.get(2).value());
    }

    @Test
    void copiesOutlivePooledBytesAndViewsAreReadOnly() {
        ByteBuffer bytes = batchOf(CompressionType.NONE);
        RecordCursor cursor = RecordBatch.wrap(bytes).cursor();
        assertTrue(cursor.advance());
        byte[] value = cursor.valueBytes();
        ByteBuffer view = cursor.value();
        assertTrue(view.isReadOnly());
        assertEquals(0, view.position());
        // The array goes back to a pool and is overwritten: the copy keeps the record's bytes.
        for (int i = 0; i < bytes.limit(); i++) {
            bytes.put(i, (byte) 0);
        }
        assertArrayEquals(utf8("value zero"), value);
    }

    @Test
    void aFieldLongerThanItsRecordIsRefusedWithoutReadingTheNextRecord() {
        ByteBuffer bytes = batchOf(CompressionType.NONE);
        RecordBatch batch = RecordBatch.wrap(bytes);
        // The first record starts right after the batch header: length varint, attributes, timestamp delta,
        // offset delta, then the key's length varint, which is made to claim more than the record holds.
        int first = RecordBatch.RECORDS_OFFSET;
        int keyLength = first + 1 + 1 + 1 + 1;
        assertEquals(4, bytes.get(keyLength), "zig-zag 2: the key \"k0\"");
        bytes.put(keyLength, (byte) 60); // zig-zag 30: past this record's end, within the batch
        RecordCursor cursor = batch.cursor();
        CorruptRecordException e = assertThrows(CorruptRecordException.class, cursor::advance);
        assertTrue(e.getMessage().contains("record 0: key length 30"), e.getMessage());
    }

    @Test
    void bytesAfterTheDeclaredRecordsAreCorrupt() {
        RecordBatchBuilder b = new RecordBatchBuilder(CompressionType.NONE, -1L, (short) -1, -1, false);
        b.append(1L, null, utf8("x"), null);
        ByteBuffer one = b.build();
        ByteBuffer longer = ByteBuffer.allocate(one.remaining() + 3);
        longer.put(one.duplicate()).clear(); // the three bytes after the batch are zeros
        longer.putInt(RecordBatch.LENGTH_OFFSET, longer.getInt(RecordBatch.LENGTH_OFFSET) + 3);
        RecordCursor cursor = RecordBatch.wrap(longer).cursor();
        assertTrue(cursor.advance());
        CorruptRecordException e = assertThrows(CorruptRecordException.class, cursor::advance);
        assertTrue(e.getMessage().contains("3 bytes follow the last one"), e.getMessage());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
