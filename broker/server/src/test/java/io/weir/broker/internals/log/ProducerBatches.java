package io.weir.broker.internals.log;

import io.weir.common.record.CompressionType;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Batches as producers and the transaction coordinator write them, for the tests of the log's producer
 * state. Every record's value names its producer and sequence ({@code "p7e0s3"}) unless the caller gives one.
 */
public final class ProducerBatches {
    private ProducerBatches() {}

    /** An idempotent, non-transactional batch of {@code records} records from {@code baseSequence} on. */
    public static ByteBuffer idempotent(long pid, short epoch, int baseSequence, int records, long timestamp) {
        return batch(pid, epoch, baseSequence, false, timestamp, values(pid, epoch, baseSequence, records));
    }

    /** A transactional batch of {@code records} records from {@code baseSequence} on. */
    public static ByteBuffer transactional(long pid, short epoch, int baseSequence, int records, long timestamp) {
        return batch(pid, epoch, baseSequence, true, timestamp, values(pid, epoch, baseSequence, records));
    }

    /** A producer's batch with these record values. */
    public static ByteBuffer batch(
            long pid, short epoch, int baseSequence, boolean transactional, long timestamp, byte[]... values) {
        RecordBatchBuilder builder =
                new RecordBatchBuilder(CompressionType.NONE, pid, epoch, baseSequence, transactional);
        for (byte[] value : values) {
            builder.append(timestamp, null, value, new Header[0]);
        }
        return builder.build();
    }

    /** A batch without producer id. */
    public static ByteBuffer plain(long timestamp, byte[]... values) {
        return batch(
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false,
                timestamp,
                values);
    }

    /** A transaction marker as the coordinator writes it. */
    public static ByteBuffer marker(
            ControlRecordType type, long pid, short epoch, int coordinatorEpoch, long timestamp) {
        return RecordBatchBuilder.controlBatch(type, pid, epoch, timestamp, coordinatorEpoch);
    }

    /**
     * A transactional batch without a sequence, as the coordinator writes a transactional offset commit. The
     * builder insists on a sequence for a producer's batch, so the base sequence is patched in afterwards and
     * the CRC recomputed.
     */
    public static ByteBuffer coordinatorBatch(long pid, short epoch, long timestamp, byte[]... values) {
        ByteBuffer batch = batch(pid, epoch, 0, true, timestamp, values);
        batch.putInt(batch.position() + RecordBatch.BASE_SEQUENCE_OFFSET, RecordBatch.NO_SEQUENCE);
        batch.putInt(
                batch.position() + RecordBatch.CRC_OFFSET,
                RecordBatch.wrap(batch.duplicate()).computeCrc());
        return batch;
    }

    public static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] values(long pid, short epoch, int baseSequence, int records) {
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
            values[i] = utf8("p" + pid + "e" + epoch + "s" + (baseSequence + i));
        }
        return values;
    }
}
