package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecordBatchBuilderTest {

    private static RecordBatchBuilder plain() {
        return new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
    }

    @Test
    void estimatedSizeIsTheExactUncompressedSize() {
        RecordBatchBuilder b = plain();
        assertEquals(RecordBatch.HEADER_SIZE, b.estimatedSizeInBytes());
        for (int i = 0; i < 100; i++) {
            b.append(1000L + i, new byte[10], new byte[100], null);
        }
        int estimate = b.estimatedSizeInBytes();
        assertEquals(estimate, b.build().remaining());
    }

    @Test
    void hasRoomForKeepsTheBatchUnderTheLimitButAlwaysTakesAFirstRecord() {
        RecordBatchBuilder b = plain();
        assertTrue(b.hasRoomFor(10, new byte[100], new byte[100], null), "empty builder takes an oversized record");
        int limit = 1024;
        int appended = 0;
        while (b.hasRoomFor(limit, null, new byte[100], null)) {
            b.append(5L, null, new byte[100], null);
            appended++;
        }
        assertTrue(appended > 1);
        assertTrue(b.estimatedSizeInBytes() <= limit);
        assertTrue(b.build().remaining() <= limit);
        assertFalse(b.hasRoomFor(Integer.MAX_VALUE, null, null, null), "sealed after build");
    }

    @Test
    void buildTwiceReturnsTheSameBytesAndAppendAfterBuildFails() {
        RecordBatchBuilder b = plain();
        b.append(1L, null, null, null);
        ByteBuffer first = b.build();
        first.position(10);
        assertEquals(0, b.build().position());
        assertEquals(first.duplicate().position(0), b.build());
        assertThrows(IllegalStateException.class, () -> b.append(2L, null, null, null));
        assertThrows(IllegalStateException.class, () -> b.setProducerState(1L, (short) 0, 0, false));
    }

    @Test
    void emptyBatchCannotBeBuilt() {
        assertThrows(IllegalStateException.class, () -> plain().build());
    }

    @Test
    void rejectsNegativeTimestampOtherThanNone() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> plain().append(-2L, null, null, null));
        assertTrue(e.getMessage().contains("-2"));
        plain().append(RecordBatch.NO_TIMESTAMP, null, null, null);
    }

    @Test
    void rejectsInconsistentProducerFields() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RecordBatchBuilder(CompressionType.NONE, -1L, (short) -1, -1, true));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RecordBatchBuilder(CompressionType.NONE, 5L, (short) -1, 0, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RecordBatchBuilder(CompressionType.NONE, 5L, (short) 0, -1, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RecordBatchBuilder(CompressionType.NONE, -7L, (short) 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RecordBatchBuilder(null, -1L, (short) -1, -1, false));
    }

    @Test
    void producerStateCanBeSetLateBeforeBuild() {
        RecordBatchBuilder b = plain();
        b.append(1L, null, null, null);
        b.setProducerState(9L, (short) 1, 40, true);
        RecordBatch batch = RecordBatch.wrap(b.build());
        batch.ensureValid();
        assertEquals(9L, batch.producerId());
        assertEquals(40, batch.baseSequence());
        assertTrue(batch.isTransactional());
    }

    @Test
    void growsPastItsInitialCapacity() {
        RecordBatchBuilder b = new RecordBatchBuilder(CompressionType.NONE, -1L, (short) -1, -1, false, 0);
        for (int i = 0; i < 50; i++) {
            b.append(0L, new byte[i], new byte[1000], new Header[] {new Header("k" + i, new byte[i])});
        }
        RecordBatch batch = RecordBatch.wrap(b.build());
        batch.ensureValid();
        int n = 0;
        for (Record r : batch) {
            assertEquals(n, r.keySize());
            n++;
        }
        assertEquals(50, n);
    }
}
