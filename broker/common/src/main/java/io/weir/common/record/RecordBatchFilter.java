package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Rewrites a record batch keeping only the records a caller chooses, as the log cleaner does (Kafka's
 * {@code MemoryRecords.filterTo}). What stays is byte for byte what was written: the batch keeps its base
 * offset, last offset delta, producer id, epoch and base sequence, and each kept record its offset and
 * timestamp deltas, so offsets and producer sequences read back unchanged.
 *
 * <p>Optionally the batch is stamped with a delete horizon (KIP-534): the base timestamp becomes the horizon,
 * the {@link RecordBatch#DELETE_HORIZON_FLAG_MASK} attribute is set, and every kept record's timestamp delta
 * is re-encoded against it, so record timestamps read back unchanged too.
 *
 * <p>A batch left with no records is dropped, unless the caller asks to keep it: the last batch of a producer
 * stays, empty and uncompressed, so that its sequence and epoch survive (Kafka does the same).
 *
 * <p>Not thread-safe: one instance per cleaner thread, its scratch arrays reused from batch to batch.
 */
public final class RecordBatchFilter {

    /** Decides each record of the batch being filtered. */
    @FunctionalInterface
    public interface RecordDecider {
        /**
         * @param offset   the record's offset
         * @param key      the key bytes from position to limit, or null when the record has none; a view
         *                 reused for the next record, so read it here and do not keep it or write to it
         * @param hasValue false for a tombstone
         */
        boolean retain(long offset, ByteBuffer key, boolean hasValue);
    }

    /** What filtering did to one batch. */
    public enum Outcome {
        /** Every record stays and nothing needs stamping: the original bytes can be copied as they are. */
        UNCHANGED,
        /** Nothing stays: the batch is gone. */
        DROPPED,
        /** {@link #filtered()} holds the rewritten batch. */
        REWRITTEN
    }

    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int[] bodyStarts = new int[64];
    private int[] timestampEnds = new int[64];
    private long[] timestamps = new long[64];
    private boolean[] kept = new boolean[64];
    private ByteBuffer filtered;
    private int retainedRecords;
    private boolean retainedTombstone;

    /**
     * Filters {@code batch}, which must be valid.
     *
     * @param keepEmpty       keep the batch, with no records, when none of them stays
     * @param horizonToStamp  when at least 0, and the batch has no delete horizon yet, and it is a control batch
     *                        or keeps a tombstone: the delete horizon to stamp; -1 never stamps
     * @throws CorruptRecordException if the records do not parse
     */
    public Outcome filter(RecordBatch batch, RecordDecider decider, boolean keepEmpty, long horizonToStamp) {
        filtered = null;
        int count = batch.recordCount();
        ensureCapacity(count);
        CompressionType compression = batch.compression();
        ByteBuffer whole = batch.buffer();
        ByteBuffer raw = whole.slice(RecordBatch.HEADER_SIZE, whole.limit() - RecordBatch.HEADER_SIZE);
        ByteBuffer section;
        try {
            section = compression == CompressionType.NONE
                    ? raw
                    : compression.codec().decompress(raw);
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException(
                    "record batch at base offset " + batch.baseOffset() + ": cannot decompress " + raw.remaining()
                            + " bytes of " + compression.configName() + ": " + e.getMessage(),
                    e);
        }
        // One view for every key of the batch, little-endian as hashes read it: no allocation per record.
        ByteBuffer keyView = section.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long baseOffset = batch.baseOffset();
        long baseTimestamp = batch.firstTimestamp();
        boolean logAppendTime = batch.isLogAppendTime();
        int retained = 0;
        boolean tombstone = false;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        try {
            for (int i = 0; i < count; i++) {
                starts[i] = section.position();
                int length = ByteUtils.readVarint(section);
                bodyStarts[i] = section.position();
                int end = section.position() + length;
                if (length < 0 || end > section.limit()) {
                    throw new CorruptRecordException(
                            "record " + i + " has length " + length + " past the end of its batch");
                }
                section.get(); // attributes
                long timestampDelta = ByteUtils.readVarlong(section);
                timestampEnds[i] = section.position();
                int offsetDelta = ByteUtils.readVarint(section);
                int keyLength = ByteUtils.readVarint(section);
                ByteBuffer key = null;
                if (keyLength >= 0) {
                    keyView.limit(section.position() + keyLength).position(section.position());
                    key = keyView;
                    section.position(section.position() + keyLength);
                }
                boolean hasValue = ByteUtils.readVarint(section) >= 0;
                section.position(end);
                ends[i] = end;
                timestamps[i] = logAppendTime ? batch.maxTimestamp() : baseTimestamp + timestampDelta;
                kept[i] = decider.retain(baseOffset + offsetDelta, key, hasValue);
                if (kept[i]) {
                    retained++;
                    tombstone |= !hasValue;
                    maxTimestamp = Math.max(maxTimestamp, timestamps[i]);
                }
            }
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("record batch at base offset " + baseOffset + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CorruptRecordException(
                    "record batch at base offset " + baseOffset + ": unreadable records: " + e, e);
        }
        retainedRecords = retained;
        retainedTombstone = tombstone;
        boolean stamp =
                horizonToStamp >= 0 && !batch.hasDeleteHorizon() && retained > 0 && (batch.isControl() || tombstone);
        if (retained == 0 && !keepEmpty) {
            return Outcome.DROPPED; // an already empty batch included, once it no longer has to stay
        }
        if (retained == count && !stamp) {
            return Outcome.UNCHANGED;
        }
        long newBaseTimestamp = stamp ? horizonToStamp : baseTimestamp;
        ByteBuffer records = ByteBuffer.allocate(section.limit() + retained * 10);
        ByteBuffer view = section.duplicate();
        for (int i = 0; i < count; i++) {
            if (!kept[i]) {
                continue;
            }
            if (!stamp) {
                records.put(view.limit(ends[i]).position(starts[i]));
            } else {
                // attributes, the delta against the new base, then the record's bytes after its old delta
                long delta = timestamps[i] - newBaseTimestamp;
                int rest = ends[i] - timestampEnds[i];
                int bodyLength = 1 + ByteUtils.sizeOfVarlong(delta) + rest;
                ByteUtils.writeVarint(bodyLength, records);
                records.put(section.get(bodyStarts[i]));
                ByteUtils.writeVarlong(delta, records);
                records.put(view.limit(ends[i]).position(timestampEnds[i]));
            }
        }
        records.flip();
        CompressionType outCompression = retained == 0 ? CompressionType.NONE : compression;
        ByteBuffer out;
        if (outCompression == CompressionType.NONE) {
            out = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + records.remaining());
            out.position(RecordBatch.HEADER_SIZE);
            out.put(records);
            out.flip();
        } else {
            StreamBuffers.Output compressed = new StreamBuffers.Output(
                    RecordBatch.HEADER_SIZE + records.remaining() / 2 + 64, RecordBatch.HEADER_SIZE);
            try {
                outCompression.codec().compress(records, compressed);
            } catch (IOException e) {
                throw new CorruptRecordException(
                        "record batch at base offset " + baseOffset + ": cannot " + outCompression.configName()
                                + "-compress its kept records: " + e.getMessage(),
                        e);
            }
            out = compressed.toBuffer().slice();
        }
        out.put(0, whole.duplicate().limit(RecordBatch.HEADER_SIZE).position(0).slice(), 0, RecordBatch.HEADER_SIZE);
        int attributes = (batch.attributes() & ~RecordBatch.COMPRESSION_CODEC_MASK) | outCompression.id();
        if (stamp) {
            attributes |= RecordBatch.DELETE_HORIZON_FLAG_MASK;
        }
        out.putInt(RecordBatch.LENGTH_OFFSET, out.limit() - RecordBatch.LOG_OVERHEAD);
        out.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, newBaseTimestamp);
        if (retained > 0 && !logAppendTime) {
            out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        }
        out.putInt(RecordBatch.RECORD_COUNT_OFFSET, retained);
        CRC32C crc = new CRC32C();
        crc.update(out.duplicate().position(RecordBatch.CRC_START));
        out.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        filtered = out;
        return Outcome.REWRITTEN;
    }

    /**
     * A batch with no records and no producer at {@code offset} (base and last offset): what the cleaner
     * writes at the end of a cleaned segment whose last batches all went, so the segment still ends where the
     * next one starts and recovery can tell a lost tail from a cleaned one.
     */
    public static ByteBuffer placeholder(long offset) {
        ByteBuffer out = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        out.putLong(RecordBatch.BASE_OFFSET_OFFSET, offset);
        out.putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD);
        out.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, RecordBatch.NO_TIMESTAMP);
        out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, RecordBatch.NO_TIMESTAMP);
        out.putLong(RecordBatch.PRODUCER_ID_OFFSET, RecordBatch.NO_PRODUCER_ID);
        out.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, RecordBatch.NO_PRODUCER_EPOCH);
        out.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, RecordBatch.NO_SEQUENCE);
        CRC32C crc = new CRC32C();
        crc.update(out.duplicate().position(RecordBatch.CRC_START));
        out.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        return out;
    }

    /** Whether {@code batch} is a {@link #placeholder}: no records and no producer. */
    public static boolean isPlaceholder(RecordBatch batch) {
        return batch.recordCount() == 0 && batch.producerId() == RecordBatch.NO_PRODUCER_ID && !batch.isControl();
    }

    /** The batch the last {@link #filter} rewrote (position 0, limit its size); null unless it returned REWRITTEN. */
    public ByteBuffer filtered() {
        return filtered;
    }

    /** How many records the last {@link #filter} kept. */
    public int retainedRecords() {
        return retainedRecords;
    }

    /** Whether the last {@link #filter} kept a tombstone. */
    public boolean retainedTombstone() {
        return retainedTombstone;
    }

    private void ensureCapacity(int count) {
        if (count < 0) {
            throw new CorruptRecordException("negative record count " + count);
        }
        if (starts.length < count) {
            int size = Math.max(count, starts.length * 2);
            starts = Arrays.copyOf(starts, size);
            ends = Arrays.copyOf(ends, size);
            bodyStarts = Arrays.copyOf(bodyStarts, size);
            timestampEnds = Arrays.copyOf(timestampEnds, size);
            timestamps = Arrays.copyOf(timestamps, size);
            kept = Arrays.copyOf(kept, size);
        }
    }
}
