package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchFilterTest {
    private final RecordBatchFilter filter = new RecordBatchFilter();

    private static RecordBatch batch(CompressionType compression, long baseOffset) {
        RecordBatchBuilder builder = new RecordBatchBuilder(compression, 42L, (short) 3, 100, false);
        builder.append(1000, "a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8), null);
        builder.append(
                1005, "b".getBytes(StandardCharsets.UTF_8), null, new Header[] {new Header("h", new byte[] {7})});
        builder.append(1002, null, "keyless".getBytes(StandardCharsets.UTF_8), null);
        ByteBuffer built = builder.build();
        RecordBatch batch = RecordBatch.wrap(built);
        batch.setBaseOffset(baseOffset);
        return batch;
    }

    private static List<Record> records(ByteBuffer bytes) {
        RecordBatch batch = RecordBatch.wrap(bytes);
        batch.ensureValid();
        List<Record> out = new ArrayList<>();
        batch.forEach(out::add);
        return out;
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"NONE", "GZIP", "LZ4", "ZSTD", "SNAPPY"})
    void keepsChosenRecordsWithTheirOffsetsTimestampsAndTheBatchsProducerFields(CompressionType compression) {
        RecordBatch original = batch(compression, 500);
        RecordBatchFilter.Outcome outcome =
                filter.filter(original, (offset, key, hasValue) -> offset != 500, false, -1L);
        assertEquals(RecordBatchFilter.Outcome.REWRITTEN, outcome);
        RecordBatch kept = RecordBatch.wrap(filter.filtered());
        kept.ensureValid();
        assertEquals(500, kept.baseOffset());
        assertEquals(502, kept.lastOffset(), "the last offset delta stays");
        assertEquals(42L, kept.producerId());
        assertEquals(3, kept.producerEpoch());
        assertEquals(100, kept.baseSequence());
        assertEquals(102, kept.lastSequence(), "the sequence range stays");
        assertEquals(compression, kept.compression());
        List<Record> records = records(filter.filtered());
        assertEquals(2, records.size());
        assertEquals(501, records.get(0).offset());
        assertEquals(1005, records.get(0).timestamp());
        assertNull(records.get(0).value());
        assertEquals("h", records.get(0).headers()[0].key());
        assertEquals(502, records.get(1).offset());
        assertEquals(1005, kept.maxTimestamp(), "recomputed over the kept records");
    }

    @Test
    void stampsADeleteHorizonWithoutChangingRecordTimestamps() {
        RecordBatch original = batch(CompressionType.LZ4, 0);
        assertEquals(RecordBatchFilter.Outcome.REWRITTEN, filter.filter(original, (o, k, v) -> true, false, 99_000L));
        RecordBatch stamped = RecordBatch.wrap(filter.filtered());
        assertTrue(stamped.hasDeleteHorizon());
        assertEquals(99_000L, stamped.deleteHorizonMs());
        List<Record> records = records(filter.filtered());
        assertEquals(
                List.of(1000L, 1005L, 1002L),
                records.stream().map(Record::timestamp).toList());
        assertTrue(filter.retainedTombstone());

        // stamped once only
        assertEquals(RecordBatchFilter.Outcome.UNCHANGED, filter.filter(stamped, (o, k, v) -> true, false, 200_000L));
    }

    @Test
    void noTombstoneMeansNoStampAndNothingToRewrite() {
        RecordBatch original = batch(CompressionType.NONE, 0);
        assertEquals(RecordBatchFilter.Outcome.UNCHANGED, filter.filter(original, (o, k, v) -> true, false, -1L));
        assertEquals(RecordBatchFilter.Outcome.REWRITTEN, filter.filter(original, (o, k, v) -> v, false, 5L));
        assertFalse(RecordBatch.wrap(filter.filtered()).hasDeleteHorizon(), "the tombstone went, so nothing to stamp");
    }

    @Test
    void anEmptiedBatchIsDroppedOrKeptEmptyForItsProducer() {
        RecordBatch original = batch(CompressionType.GZIP, 10);
        assertEquals(RecordBatchFilter.Outcome.DROPPED, filter.filter(original, (o, k, v) -> false, false, -1L));
        assertEquals(RecordBatchFilter.Outcome.REWRITTEN, filter.filter(original, (o, k, v) -> false, true, -1L));
        RecordBatch empty = RecordBatch.wrap(filter.filtered());
        empty.ensureValid();
        assertEquals(0, empty.recordCount());
        assertEquals(CompressionType.NONE, empty.compression());
        assertEquals(12, empty.lastOffset());
        assertEquals(102, empty.lastSequence());
        assertTrue(records(filter.filtered()).isEmpty());
    }

    @Test
    void aPlaceholderIsAValidEmptyBatchAtItsOffset() {
        ByteBuffer placeholder = RecordBatchFilter.placeholder(77);
        RecordBatch batch = RecordBatch.wrap(placeholder);
        batch.ensureValid();
        assertEquals(77, batch.baseOffset());
        assertEquals(78, batch.nextOffset());
        assertTrue(RecordBatchFilter.isPlaceholder(batch));
        assertFalse(RecordBatchFilter.isPlaceholder(batch(CompressionType.NONE, 0)));
    }
}
