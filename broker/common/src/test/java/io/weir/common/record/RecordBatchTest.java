package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchTest {

    private static ByteBuffer sampleBatch(CompressionType compression) {
        RecordBatchBuilder b = new RecordBatchBuilder(compression, 77L, (short) 2, 10, true);
        b.append(500L, utf8("a"), utf8("one"), null);
        b.append(400L, null, null, new Header[] {new Header("ünï", null), new Header("x", utf8("y"))});
        b.append(900L, utf8("c"), new byte[0], new Header[0]);
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void roundTripsRecordsAndHeaderFields(CompressionType compression) {
        RecordBatch batch = RecordBatch.wrap(sampleBatch(compression));
        batch.ensureValid();
        assertEquals(compression, batch.compression());
        assertEquals(3, batch.recordCount());
        assertEquals(2, batch.lastOffsetDelta());
        assertEquals(500L, batch.firstTimestamp());
        assertEquals(900L, batch.maxTimestamp());
        assertEquals(77L, batch.producerId());
        assertEquals(2, batch.producerEpoch());
        assertEquals(10, batch.baseSequence());
        assertEquals(12, batch.lastSequence());
        assertTrue(batch.isTransactional());
        assertFalse(batch.isControl());

        batch.setBaseOffset(1000L);
        batch.ensureValid(); // base offset is outside the CRC
        List<Record> records = new ArrayList<>();
        batch.forEach(records::add);
        assertEquals(3, records.size());
        Record r0 = records.get(0);
        assertEquals(1000L, r0.offset());
        assertEquals(500L, r0.timestamp());
        assertArrayEquals(utf8("a"), r0.keyBytes());
        assertArrayEquals(utf8("one"), r0.valueBytes());
        assertEquals(0, r0.headers().length);
        Record r1 = records.get(1);
        assertEquals(1001L, r1.offset());
        assertEquals(400L, r1.timestamp(), "negative timestamp delta");
        assertNull(r1.key());
        assertNull(r1.valueBytes());
        assertArrayEquals(new Header[] {new Header("ünï", null), new Header("x", utf8("y"))}, r1.headers());
        Record r2 = records.get(2);
        assertEquals(1002L, r2.offset());
        assertEquals(0, r2.valueSize());
        assertEquals(1002L, batch.lastOffset());
        assertEquals(1003L, batch.nextOffset());
    }

    @Test
    void wrapDoesNotMoveTheCallersPositionAndIgnoresItsByteOrder() {
        ByteBuffer built = sampleBatch(CompressionType.NONE);
        ByteBuffer withPrefix = ByteBuffer.allocate(built.remaining() + 5).order(ByteOrder.LITTLE_ENDIAN);
        withPrefix.position(5);
        withPrefix.put(built.duplicate());
        withPrefix.position(5);
        RecordBatch batch = RecordBatch.wrap(withPrefix);
        batch.ensureValid();
        batch.records().forEachRemaining(r -> {});
        assertEquals(5, withPrefix.position());
        assertEquals(77L, batch.producerId());
        ByteBuffer slice = batch.buffer();
        assertEquals(0, slice.position());
        assertEquals(built.remaining(), slice.limit());
        assertEquals(built, slice);
    }

    @Test
    void ensureValidNamesStoredAndComputedCrc() {
        ByteBuffer built = sampleBatch(CompressionType.NONE);
        built.put(built.limit() - 1, (byte) (built.get(built.limit() - 1) ^ 1));
        RecordBatch batch = RecordBatch.wrap(built);
        batch.setBaseOffset(4242L);
        assertFalse(batch.isValid());
        CorruptRecordException e = assertThrows(CorruptRecordException.class, batch::ensureValid);
        assertTrue(e.getMessage().contains("4242"), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("0x%08x", batch.storedCrc())), e.getMessage());
        assertTrue(e.getMessage().contains(String.format("0x%08x", batch.computeCrc())), e.getMessage());
    }

    @Test
    void ensureValidRejectsBadMagicAndImpossibleLength() {
        ByteBuffer badMagic = sampleBatch(CompressionType.NONE);
        badMagic.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertTrue(assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(badMagic)
                        .ensureValid())
                .getMessage()
                .contains("magic 1"));

        ByteBuffer shortLength = sampleBatch(CompressionType.NONE);
        shortLength.putInt(RecordBatch.LENGTH_OFFSET, 10);
        assertTrue(assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(shortLength)
                        .ensureValid())
                .getMessage()
                .contains("length field 10"));

        ByteBuffer truncated = sampleBatch(CompressionType.NONE);
        truncated.limit(truncated.limit() - 1);
        RecordBatch cut = RecordBatch.wrap(truncated);
        assertFalse(cut.isValid());
        assertThrows(CorruptRecordException.class, cut::records);
        assertThrows(CorruptRecordException.class, cut::buffer);
    }

    @Test
    void wrapRejectsLessThanAHeader() {
        assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(ByteBuffer.allocate(60)));
    }

    @Test
    void recordOverrunningTheBatchIsCorrupt() {
        ByteBuffer built = sampleBatch(CompressionType.NONE);
        // The first record's length varint sits right after the header; claim 63 bytes (zig-zag 126 = 0x7e).
        built.put(RecordBatch.RECORDS_OFFSET, (byte) 0x7e);
        RecordBatch batch = RecordBatch.wrap(built);
        CorruptRecordException e =
                assertThrows(CorruptRecordException.class, () -> batch.records().next());
        assertTrue(e.getMessage().contains("record 0"), e.getMessage());
    }

    @Test
    void recordCountLargerThanTheRecordsIsCorrupt() {
        ByteBuffer built = sampleBatch(CompressionType.NONE);
        built.putInt(RecordBatch.RECORD_COUNT_OFFSET, 4);
        CloseableIterator<Record> it = RecordBatch.wrap(built).records();
        it.next();
        it.next();
        it.next();
        assertThrows(CorruptRecordException.class, it::next);
    }

    @Test
    void recordCountSmallerThanTheRecordsIsCorrupt() {
        ByteBuffer built = sampleBatch(CompressionType.NONE);
        built.putInt(RecordBatch.RECORD_COUNT_OFFSET, 2);
        CloseableIterator<Record> it = RecordBatch.wrap(built).records();
        it.next();
        it.next();
        assertThrows(CorruptRecordException.class, it::hasNext);
    }

    @Test
    void garbageCompressedSectionIsCorrupt() {
        ByteBuffer built = sampleBatch(CompressionType.GZIP);
        built.put(RecordBatch.RECORDS_OFFSET, (byte) 0);
        CorruptRecordException e = assertThrows(
                CorruptRecordException.class, () -> RecordBatch.wrap(built).records());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void unknownCompressionIdIsCorrupt() {
        ByteBuffer built = sampleBatch(CompressionType.NONE);
        built.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 7);
        assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(built).compression());
    }

    @Test
    void lastSequenceWrapsAfterIntegerMaxValue() {
        RecordBatchBuilder b =
                new RecordBatchBuilder(CompressionType.NONE, 1L, (short) 0, Integer.MAX_VALUE - 1, false);
        for (int i = 0; i < 4; i++) {
            b.append(0L, null, null, null);
        }
        RecordBatch batch = RecordBatch.wrap(b.build());
        assertEquals(1, batch.lastSequence(), "MAX-1, MAX, 0, 1");
        assertEquals(0, RecordBatch.incrementSequence(Integer.MAX_VALUE, 1));
        assertEquals(
                RecordBatch.NO_SEQUENCE,
                RecordBatch.wrap(oneRecord(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_SEQUENCE))
                        .lastSequence());
    }

    @Test
    void setPartitionLeaderEpochKeepsTheCrcValid() {
        RecordBatch batch = RecordBatch.wrap(sampleBatch(CompressionType.NONE));
        batch.setPartitionLeaderEpoch(9);
        assertEquals(9, batch.partitionLeaderEpoch());
        assertTrue(batch.isValid());
    }

    @Test
    void abortMarkerCarriesTypeAndCoordinatorEpoch() {
        RecordBatch batch =
                RecordBatch.wrap(RecordBatchBuilder.controlBatch(ControlRecordType.ABORT, 5L, (short) 1, 123L, -1));
        batch.ensureValid();
        assertTrue(batch.isControl());
        assertTrue(batch.isTransactional());
        assertEquals(ControlRecordType.ABORT, batch.controlType());
        assertEquals(-1, batch.coordinatorEpoch());
        assertEquals(RecordBatch.NO_SEQUENCE, batch.baseSequence());
    }

    @Test
    void controlTypeOnADataBatchIsIllegal() {
        RecordBatch batch = RecordBatch.wrap(sampleBatch(CompressionType.NONE));
        assertThrows(IllegalStateException.class, batch::controlType);
    }

    @Test
    void recordKeyAndValueAreReadOnlyViews() {
        Record r = RecordBatch.wrap(sampleBatch(CompressionType.NONE)).records().next();
        assertTrue(r.key().isReadOnly());
        assertEquals(0, r.key().position());
    }

    static ByteBuffer oneRecord(long producerId, int baseSequence) {
        RecordBatchBuilder b = new RecordBatchBuilder(
                CompressionType.NONE,
                producerId,
                producerId == RecordBatch.NO_PRODUCER_ID ? RecordBatch.NO_PRODUCER_EPOCH : 0,
                baseSequence,
                false);
        b.append(1L, null, utf8("v"), null);
        return b.build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void setProducerStateRestampsInPlaceAndKeepsTheBatchValid(CompressionType compression) {
        ByteBuffer bytes = sampleBatch(compression);
        RecordBatch batch = RecordBatch.wrap(bytes);
        int oldCrc = batch.storedCrc();
        batch.setProducerState(78L, (short) 3, 0, false);
        batch.ensureValid();
        assertTrue(oldCrc != batch.storedCrc(), "the CRC covers the producer fields");
        assertEquals(78L, batch.producerId());
        assertEquals(3, batch.producerEpoch());
        assertEquals(0, batch.baseSequence());
        assertEquals(2, batch.lastSequence());
        assertFalse(batch.isTransactional());
        assertEquals(compression, batch.compression(), "other attribute bits are kept");
        List<Record> records = new ArrayList<>();
        batch.forEach(records::add);
        assertEquals(3, records.size());
        assertArrayEquals(utf8("one"), records.get(0).valueBytes());

        batch.setProducerState(78L, (short) 4, 5, true);
        batch.ensureValid();
        assertTrue(batch.isTransactional());
        assertEquals(RecordBatch.wrap(bytes).baseSequence(), 5, "written through to the wrapped buffer");
    }

    @Test
    void setProducerStateRefusesInconsistentFieldsAndControlBatches() {
        RecordBatch batch = RecordBatch.wrap(sampleBatch(CompressionType.NONE));
        var e = assertThrows(IllegalArgumentException.class, () -> batch.setProducerState(5L, (short) 0, -1, false));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batch.setProducerState(-1L, (short) -1, -1, true));
        assertEquals(77L, batch.producerId(), "nothing is written when the fields are refused");
        batch.ensureValid();
        RecordBatch marker =
                RecordBatch.wrap(RecordBatchBuilder.controlBatch(ControlRecordType.COMMIT, 1L, (short) 0, 0L, 0));
        assertThrows(IllegalArgumentException.class, () -> marker.setProducerState(1L, (short) 1, 0, true));
    }
}
