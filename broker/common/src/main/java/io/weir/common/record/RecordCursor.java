package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the records section of one batch in place, one record at a time, without an object per record: after
 * {@link #advance()} the accessors describe the current record, until the next call. What a reader keeps must be
 * copied out ({@link #keyBytes()}, {@link #valueBytes()}, {@link #toRecord()}); {@link #key()} and {@link #value()}
 * are views of the section's bytes. The section is decompressed up front when the batch is compressed (the
 * codecs' frames must be read whole anyway, and batches are bounded by the producer's batch size).
 *
 * <p>Every length read from the bytes is checked before it is used: a record must fit in the section, its fields
 * must end exactly at its declared length, and the section must hold exactly {@code recordCount} records. Any
 * violation is a {@link CorruptRecordException} naming the batch's base offset and the record's index. A record is
 * parsed with the section's limit set to its end, so a bad inner length cannot read into the next record.
 *
 * <p>Confined to one thread.
 */
public final class RecordCursor {
    private final RecordBatch batch;
    private final long baseOffset;
    private final long firstTimestamp;
    private final long logAppendTime;
    private final boolean useLogAppendTime;
    private final int count;
    private ByteBuffer section;
    private int index;

    private long offset;
    private long timestamp;
    private int keyPosition;
    private int keyLength;
    private int valuePosition;
    private int valueLength;
    private Header[] headers;

    RecordCursor(RecordBatch batch, ByteBuffer rawSection) {
        this.batch = batch;
        this.baseOffset = batch.baseOffset();
        this.firstTimestamp = batch.firstTimestamp();
        this.useLogAppendTime = batch.isLogAppendTime();
        this.logAppendTime = batch.maxTimestamp();
        this.count = batch.recordCount();
        if (count < 0) {
            throw corrupt("negative record count " + count);
        }
        CompressionType compression = batch.compression();
        if (compression == CompressionType.NONE) {
            this.section = rawSection;
        } else {
            try {
                this.section = compression.codec().decompress(rawSection);
            } catch (Exception e) { // IOException, or a codec's runtime error on garbage input
                throw new CorruptRecordException(
                        "record batch at base offset " + baseOffset + ": cannot decompress " + rawSection.remaining()
                                + " bytes of " + compression.configName() + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * Whether another record follows.
     *
     * @throws CorruptRecordException if all declared records were read but bytes follow the last one
     */
    public boolean hasNext() {
        if (index < count) {
            return true;
        }
        if (section != null && section.hasRemaining()) {
            throw corrupt("declares " + count + " records but " + section.remaining() + " bytes follow the last one");
        }
        return false;
    }

    /**
     * Moves to the next record: true, or false when the batch has no more.
     *
     * @throws CorruptRecordException if the record cannot be read
     */
    public boolean advance() {
        if (!hasNext()) {
            return false;
        }
        try {
            readRecord();
            index++;
            return true;
        } catch (CorruptRecordException e) {
            throw corrupt("record " + index + ": " + e.getMessage(), e);
        } catch (RuntimeException e) { // buffer underflow or bad slice bounds from a lying length field
            throw corrupt("record " + index + ": " + e, e);
        }
    }

    private void readRecord() {
        ByteBuffer s = section;
        if (!s.hasRemaining()) {
            throw new CorruptRecordException("section ends before it, after " + index + " of " + count + " records");
        }
        int length = ByteUtils.readVarint(s);
        if (length < 0 || length > s.remaining()) {
            throw new CorruptRecordException(
                    "length " + length + " overruns the " + s.remaining() + " bytes left in the batch");
        }
        int end = s.position() + length;
        int sectionLimit = s.limit();
        s.limit(end);
        try {
            s.get(); // record attributes: unused in v2
            long timestampDelta = ByteUtils.readVarlong(s);
            int offsetDelta = ByteUtils.readVarint(s);
            keyLength = fieldLength(s, "key");
            keyPosition = s.position();
            skip(s, keyLength);
            valueLength = fieldLength(s, "value");
            valuePosition = s.position();
            skip(s, valueLength);
            headers = readHeaders(s);
            if (s.hasRemaining()) {
                throw new CorruptRecordException(
                        "declared length " + length + " leaves " + s.remaining() + " unread bytes after its fields");
            }
            offset = baseOffset + offsetDelta;
            timestamp = useLogAppendTime ? logAppendTime : firstTimestamp + timestampDelta;
        } finally {
            s.limit(sectionLimit);
        }
        s.position(end);
    }

    private static Header[] readHeaders(ByteBuffer s) {
        int headerCount = ByteUtils.readVarint(s);
        if (headerCount < 0 || headerCount > s.remaining()) {
            throw new CorruptRecordException(
                    "header count " + headerCount + " with " + s.remaining() + " bytes left in the record");
        }
        if (headerCount == 0) {
            return Record.NO_HEADERS;
        }
        Header[] read = new Header[headerCount];
        for (int i = 0; i < headerCount; i++) {
            int keyLength = ByteUtils.readVarint(s);
            if (keyLength < 0 || keyLength > s.remaining()) {
                throw new CorruptRecordException("header " + i + " key length " + keyLength + " with " + s.remaining()
                        + " bytes left in the record");
            }
            String headerKey = utf8(s, keyLength);
            int valueLength = fieldLength(s, "header " + i + " value");
            byte[] valueBytes = null;
            if (valueLength >= 0) {
                valueBytes = new byte[valueLength];
                s.get(valueBytes);
            }
            read[i] = new Header(headerKey, valueBytes);
        }
        return read;
    }

    /** A field's length prefix: -1 for a null field, else a length that fits in what is left of the record. */
    private static int fieldLength(ByteBuffer s, String what) {
        int len = ByteUtils.readVarint(s);
        if (len < -1 || len > s.remaining()) {
            throw new CorruptRecordException(
                    what + " length " + len + " with " + s.remaining() + " bytes left in the record");
        }
        return len;
    }

    private static void skip(ByteBuffer s, int length) {
        if (length > 0) {
            s.position(s.position() + length);
        }
    }

    private static String utf8(ByteBuffer r, int len) {
        String s;
        if (r.hasArray()) {
            s = new String(r.array(), r.arrayOffset() + r.position(), len, StandardCharsets.UTF_8);
            r.position(r.position() + len);
        } else {
            byte[] b = new byte[len];
            r.get(b);
            s = new String(b, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** The current record's absolute offset. */
    public long offset() {
        return offset;
    }

    /** The current record's timestamp: the batch's append time under {@code LogAppendTime}, else its own. */
    public long timestamp() {
        return timestamp;
    }

    /** The current record's key length in bytes, or -1 when it has no key. */
    public int keySize() {
        return keyLength;
    }

    /** The current record's value length in bytes, or -1 when it has none (a tombstone, in a compacted topic). */
    public int valueSize() {
        return valueLength;
    }

    /** A copy of the current record's key, or null when it has none. */
    public byte[] keyBytes() {
        return copy(keyPosition, keyLength);
    }

    /** A copy of the current record's value, or null when it has none. */
    public byte[] valueBytes() {
        return copy(valuePosition, valueLength);
    }

    /** A read-only view of the current record's key (position 0), or null: valid while the section's bytes are. */
    public ByteBuffer key() {
        return view(keyPosition, keyLength);
    }

    /** A read-only view of the current record's value (position 0), or null: valid while the section's bytes are. */
    public ByteBuffer value() {
        return view(valuePosition, valueLength);
    }

    /** The current record's headers, read into objects of their own; a shared empty array when it has none. */
    public Header[] headers() {
        return headers;
    }

    /** The current record as an object, its key and value views of the section (see {@link Record}). */
    public Record toRecord() {
        return new Record(offset, timestamp, key(), value(), headers);
    }

    private byte[] copy(int position, int length) {
        if (length < 0) {
            return null;
        }
        byte[] out = new byte[length];
        section.get(position, out);
        return out;
    }

    private ByteBuffer view(int position, int length) {
        return length < 0 ? null : section.slice(position, length).asReadOnlyBuffer();
    }

    private CorruptRecordException corrupt(String what) {
        return new CorruptRecordException("record batch at base offset " + baseOffset + ": " + what);
    }

    private CorruptRecordException corrupt(String what, Throwable cause) {
        return new CorruptRecordException("record batch at base offset " + baseOffset + ": " + what, cause);
    }

    /** Drops the decompressed copy now rather than when the cursor is collected; no record follows. */
    public void close() {
        section = null;
        index = count;
    }

    @Override
    public String toString() {
        return "RecordCursor(" + batch + ", next=" + index + ")";
    }
}
