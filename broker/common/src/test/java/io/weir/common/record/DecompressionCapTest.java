package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.CorruptRecordException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A batch whose records inflate past the cap fails as corrupt on every path that decompresses it. */
class DecompressionCapTest {

    /** One keyed record whose value is {@code valueBytes} zeros: a few KiB compressed. */
    private static RecordBatch bomb(CompressionType compression, int valueBytes) {
        RecordBatchBuilder builder = new RecordBatchBuilder(compression, 42L, (short) 3, 0, false);
        builder.append(1000, "k".getBytes(StandardCharsets.UTF_8), new byte[valueBytes], null);
        RecordBatch batch = RecordBatch.wrap(builder.build());
        batch.ensureValid();
        return batch;
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"GZIP", "LZ4", "ZSTD", "SNAPPY"})
    void batchInflatingPastTheCapIsCorruptForTheValidatorAndTheCleaner(CompressionType compression) {
        RecordBatch batch = bomb(compression, CompressionCodec.MAX_DECOMPRESSED_BYTES);
        assertTrue(batch.sizeInBytes() < CompressionCodec.MAX_DECOMPRESSED_BYTES / 10, "a bomb: small compressed");
        CorruptRecordException read = assertThrows(CorruptRecordException.class, () -> {
            try (CloseableIterator<Record> records = batch.records()) {
                records.next();
            }
        });
        assertTrue(read.getMessage().contains("cap on a decompressed batch"), read.getMessage());
        assertThrows(CorruptRecordException.class, () -> new RecordBatchFilter()
                .filter(batch, (offset, key, hasValue) -> true, false, -1L));
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"GZIP", "LZ4", "ZSTD", "SNAPPY"})
    void batchBelowTheCapStillReads(CompressionType compression) {
        RecordBatch batch = bomb(compression, 4 * 1024 * 1024);
        try (CloseableIterator<Record> records = batch.records()) {
            assertEquals(4 * 1024 * 1024, records.next().value().remaining());
        }
    }
}
