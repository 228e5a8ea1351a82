package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.zip.CRC32C;

/**
 * A flyweight view of one record batch in the Kafka v2 layout (magic 2), reading and stamping fields in place
 * without copying. The layout, all integers big-endian:
 *
 * <pre>
 *  off  size  field
 *    0    8   baseOffset            first offset; assigned by the log, so outside the CRC
 *    8    4   length                bytes after this field (batch size - 12)
 *   12    4   partitionLeaderEpoch  stamped by the leader, so outside the CRC
 *   16    1   magic                 2
 *   17    4   crc                   CRC32C of bytes 21..end
 *   21    2   attributes            bits 0-2 compression, 3 timestamp type (1 = log append time),
 *                                   4 transactional, 5 control, 6 has delete horizon
 *   23    4   lastOffsetDelta       offset of the last record minus baseOffset
 *   27    8   baseTimestamp         timestamp of the first record; record timestamps are deltas from it
 *   35    8   maxTimestamp
 *   43    8   producerId            -1 for a non-idempotent producer
 *   51    2   producerEpoch
 *   53    4   baseSequence          sequence of the first record, -1 when not idempotent
 *   57    4   recordCount
 *   61        records               compressed as a whole when compression != NONE
 * </pre>
 *
 * A record: {@code length varint, attributes int8 (unused), timestampDelta varlong, offsetDelta varint,
 * keyLength varint (-1 = null), key, valueLength varint (-1 = null), value, headerCount varint, headers}, and
 * a header: {@code keyLength varint, key (UTF-8), valueLength varint (-1 = null), value}. Varints are zig-zag.
 *
 * <p><b>Invariants.</b> The view starts at the position the wrapped buffer had when {@link #wrap} was called and
 * never moves the caller's position or limit. Header accessors need only the first {@link #HEADER_SIZE} bytes;
 * operations on the whole batch ({@link #buffer()}, {@link #computeCrc()}, {@link #records()}) need all
 * {@link #sizeInBytes()} bytes and throw {@link CorruptRecordException} when they are not there. Nothing is
 * validated eagerly: call {@link #ensureValid()} before trusting bytes from a client or a disk.
 *
 * <p><b>Threading.</b> Not synchronized. Any number of threads may read one batch's bytes concurrently (each
 * through its own view or a shared one: the view keeps no cursor), provided no thread is writing them; the
 * setters are for the single writer that owns the bytes (the partition's append thread).
 */
public final class RecordBatch implements Iterable<Record> {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Bytes before the first record. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Bytes of baseOffset and length, which the length field does not count. */
    public static final int LOG_OVERHEAD = 12;

    public static final byte MAGIC = 2;
    /** The CRC covers attributes to the end, so offsets and leader epoch can be stamped without recomputing it. */
    public static final int CRC_START = ATTRIBUTES_OFFSET;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final long NO_TIMESTAMP = -1L;

    /** The buffer is a private big-endian duplicate: the caller's byte order and cursor never matter. */
    private final ByteBuffer buf;

    private final int start;

    private RecordBatch(ByteBuffer buf, int start) {
        this.buf = buf;
        this.start = start;
    }

    /**
     * Views the batch that starts at {@code buffer.position()}.
     *
     * @throws CorruptRecordException if fewer than {@link #HEADER_SIZE} bytes remain
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new CorruptRecordException("a record batch header needs " + HEADER_SIZE + " bytes but only "
                    + buffer.remaining() + " remain at position " + buffer.position());
        }
        ByteBuffer dup = buffer.duplicate(); // duplicate() is always big-endian, which the format is
        return new RecordBatch(dup, buffer.position());
    }

    public long baseOffset() {
        return buf.getLong(start + BASE_OFFSET_OFFSET);
    }

    /** Stamps the base offset in place. The CRC does not cover it, so the batch stays valid. */
    public void setBaseOffset(long baseOffset) {
        buf.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Total bytes of the batch: the length field plus {@link #LOG_OVERHEAD}. */
    public int sizeInBytes() {
        return buf.getInt(start + LENGTH_OFFSET) + LOG_OVERHEAD;
    }

    public int partitionLeaderEpoch() {
        return buf.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    /** Stamps the leader epoch in place. The CRC does not cover it, so the batch stays valid. */
    public void setPartitionLeaderEpoch(int epoch) {
        buf.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buf.get(start + MAGIC_OFFSET);
    }

    /** The stored CRC32C; an unsigned 32-bit value carried in an int. */
    public int storedCrc() {
        return buf.getInt(start + CRC_OFFSET);
    }

    /**
     * CRC32C of bytes {@link #CRC_START} to the end of the batch.
     *
     * @throws CorruptRecordException if the length field is impossible or the batch is not all in the buffer
     */
    public int computeCrc() {
        checkComplete();
        CRC32C crc = new CRC32C();
        int size = sizeInBytes();
        crc.update(buf.duplicate().limit(start + size).position(start + CRC_START));
        return (int) crc.getValue();
    }

    public short attributes() {
        return buf.getShort(start + ATTRIBUTES_OFFSET);
    }

    /**
     * @throws CorruptRecordException if the compression bits hold an unknown id (5..7)
     */
    public CompressionType compression() {
        int id = attributes() & COMPRESSION_CODEC_MASK;
        try {
            return CompressionType.forId(id);
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException(
                    "record batch at base offset " + baseOffset() + " has unknown compression id " + id
                            + " in attributes 0x" + Integer.toHexString(attributes()),
                    e);
        }
    }

    /** True when the broker overwrote record timestamps with {@link #maxTimestamp()} (log append time). */
    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    /**
     * Whether the log cleaner stamped a delete horizon into the batch (KIP-534): its tombstones and, for a
     * control batch, the marker may be removed once {@link #deleteHorizonMs()} has passed.
     */
    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0;
    }

    /** The delete horizon, held in the base timestamp field when {@link #hasDeleteHorizon()}; else -1. */
    public long deleteHorizonMs() {
        return hasDeleteHorizon() ? firstTimestamp() : NO_TIMESTAMP;
    }

    public int lastOffsetDelta() {
        return buf.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** The base timestamp: the first record's timestamp, from which the others are deltas. */
    public long firstTimestamp() {
        return buf.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buf.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buf.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buf.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buf.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    /**
     * The sequence of the last record: base sequence plus last offset delta, wrapping to 0 after
     * {@link Integer#MAX_VALUE} as Kafka's producers do. {@link #NO_SEQUENCE} when the batch has none.
     */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        return incrementSequence(base, lastOffsetDelta());
    }

    /** {@code sequence + increment} wrapping past {@link Integer#MAX_VALUE} to 0, never to a negative value. */
    public static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    public int recordCount() {
        return buf.getInt(start + RECORD_COUNT_OFFSET);
    }

    /**
     * Re-stamps the producer fields of a built batch in place — producer id, epoch, base sequence and the
     * transactional bit — and recomputes the CRC, which covers them. An idempotent producer needs this when it
     * bumps its epoch after a batch was built: the unacknowledged batches go again under the new epoch with
     * sequences restarting at 0, and their records stay as they are.
     *
     * @throws IllegalArgumentException under the rules of {@link RecordBatchBuilder#setProducerState}, or for
     *         a control batch (markers belong to the coordinator, which never re-stamps them)
     * @throws CorruptRecordException if the batch is not all in the buffer
     */
    public void setProducerState(long producerId, short producerEpoch, int baseSequence, boolean transactional) {
        checkComplete();
        if (isControl()) {
            throw new IllegalArgumentException("cannot re-stamp the control batch at base offset " + baseOffset());
        }
        if (producerId < NO_PRODUCER_ID) {
            throw new IllegalArgumentException("producer id " + producerId + " is invalid; use -1 for none");
        }
        if (producerId != NO_PRODUCER_ID && (producerEpoch < 0 || baseSequence < 0)) {
            throw new IllegalArgumentException(
                    "producer id " + producerId + " needs an epoch and a base sequence >= 0, got epoch " + producerEpoch
                            + " and sequence " + baseSequence);
        }
        if (transactional && producerId == NO_PRODUCER_ID) {
            throw new IllegalArgumentException("a transactional batch needs a producer id, got " + producerId);
        }
        short attributes = attributes();
        attributes =
                (short) (transactional ? attributes | TRANSACTIONAL_FLAG_MASK : attributes & ~TRANSACTIONAL_FLAG_MASK);
        buf.putShort(start + ATTRIBUTES_OFFSET, attributes);
        buf.putLong(start + PRODUCER_ID_OFFSET, producerId);
        buf.putShort(start + PRODUCER_EPOCH_OFFSET, producerEpoch);
        buf.putInt(start + BASE_SEQUENCE_OFFSET, baseSequence);
        buf.putInt(start + CRC_OFFSET, computeCrc());
    }

    /** True when the batch is all present, its magic is 2 and its CRC matches. Never throws. */
    public boolean isValid() {
        return problem() == null;
    }

    /**
     * @throws CorruptRecordException naming the base offset and what is wrong: an impossible length, a batch
     *         cut short by the end of the buffer, a magic other than 2, or a CRC mismatch (stored and computed)
     */
    public void ensureValid() {
        String problem = problem();
        if (problem != null) {
            throw new CorruptRecordException(
                    "record batch at base offset " + baseOffset() + " (buffer position " + start + "): " + problem);
        }
    }

    private String problem() {
        int size = sizeInBytes();
        if (size < HEADER_SIZE || size < 0) {
            return "length field " + (size - LOG_OVERHEAD) + " is below the minimum " + (HEADER_SIZE - LOG_OVERHEAD);
        }
        int available = buf.limit() - start;
        if (size > available) {
            return "size " + size + " exceeds the " + available + " bytes available";
        }
        if (magic() != MAGIC) {
            return "magic " + magic() + ", expected " + MAGIC;
        }
        int stored = storedCrc();
        int computed = computeCrc();
        if (stored != computed) {
            return String.format("stored CRC 0x%08x does not match computed CRC 0x%08x", stored, computed);
        }
        return null;
    }

    private void checkComplete() {
        int size = sizeInBytes();
        if (size < HEADER_SIZE) {
            throw new CorruptRecordException("record batch at base offset " + baseOffset() + " has length field "
                    + (size - LOG_OVERHEAD) + ", below the minimum " + (HEADER_SIZE - LOG_OVERHEAD));
        }
        int available = buf.limit() - start;
        if (size > available) {
            throw new CorruptRecordException("record batch at base offset " + baseOffset() + " has size " + size
                    + " but only " + available + " bytes are available");
        }
    }

    /**
     * A slice of exactly this batch's bytes (position 0, limit = {@link #sizeInBytes()}), sharing content with
     * the wrapped buffer: writes through it are visible to the view and vice versa.
     *
     * @throws CorruptRecordException if the batch is not all in the buffer
     */
    public ByteBuffer buffer() {
        checkComplete();
        return buf.slice(start, sizeInBytes());
    }

    /**
     * Iterates the records, decompressing the records section first when the batch is compressed. Each record
     * is bounds-checked against its length prefix, and the count against the section.
     *
     * @throws CorruptRecordException (from this call or from the iterator) when the records cannot be read:
     *         the batch is incomplete, decompression fails, a record overruns its length or the section, or the
     *         count does not match the bytes
     */
    public CloseableIterator<Record> records() {
        return new RecordIterator(cursor(), baseOffset());
    }

    /**
     * As {@link #records()}, but read in place: one {@link RecordCursor} describes each record in turn, with no
     * object per record (a consumer's hot path).
     *
     * @throws CorruptRecordException (from this call or from the cursor) as {@link #records()}
     */
    public RecordCursor cursor() {
        checkComplete();
        return new RecordCursor(this, buf.slice(start + RECORDS_OFFSET, sizeInBytes() - RECORDS_OFFSET));
    }

    /** Same as {@link #records()}; closing is optional for a for-each loop, as the iterator holds only heap. */
    @Override
    public Iterator<Record> iterator() {
        return records();
    }

    /**
     * The marker a control batch carries, read from its first record's key.
     *
     * @throws IllegalStateException if this is not a control batch
     * @throws CorruptRecordException if the control record is missing, too short, or of an unknown type
     */
    public ControlRecordType controlType() {
        ByteBuffer key = controlRecord().key();
        if (key == null || key.remaining() < ControlRecordType.KEY_SIZE) {
            throw new CorruptRecordException("control batch at base offset " + baseOffset()
                    + " has a control record key of " + (key == null ? "null" : key.remaining() + " bytes")
                    + ", expected " + ControlRecordType.KEY_SIZE);
        }
        short version = key.getShort(0);
        if (version < 0) {
            throw new CorruptRecordException(
                    "control batch at base offset " + baseOffset() + " has control key version " + version);
        }
        return ControlRecordType.forId(key.getShort(2));
    }

    /**
     * The transaction coordinator epoch carried in the value of an end-transaction marker, which lets a
     * partition reject markers from a zombie coordinator.
     *
     * @throws IllegalStateException if this is not a control batch
     * @throws CorruptRecordException if the marker value is missing or too short
     */
    public int coordinatorEpoch() {
        ByteBuffer value = controlRecord().value();
        if (value == null || value.remaining() < ControlRecordType.VALUE_SIZE) {
            throw new CorruptRecordException("control batch at base offset " + baseOffset()
                    + " has a marker value of " + (value == null ? "null" : value.remaining() + " bytes")
                    + ", expected " + ControlRecordType.VALUE_SIZE);
        }
        return value.getInt(2);
    }

    private Record controlRecord() {
        if (!isControl()) {
            throw new IllegalStateException("record batch at base offset " + baseOffset()
                    + " is not a control batch (attributes 0x" + Integer.toHexString(attributes()) + ")");
        }
        try (CloseableIterator<Record> it = records()) {
            if (!it.hasNext()) {
                throw new CorruptRecordException("control batch at base offset " + baseOffset() + " has no records");
            }
            return it.next();
        }
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size="
                + sizeInBytes() + ", records=" + recordCount() + ", attributes=0x" + Integer.toHexString(attributes())
                + ", producerId=" + producerId() + ", producerEpoch=" + producerEpoch() + ", baseSequence="
                + baseSequence() + ")";
    }
}
