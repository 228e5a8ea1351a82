package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Reads the records section of one batch, decompressed up front when the batch is compressed (the codecs'
 * frames must be read whole anyway, and batches are bounded by the producer's batch size).
 *
 * <p>Every length read from the bytes is checked before it is used: a record must fit in the section, its
 * fields must end exactly at its declared length, and the section must hold exactly {@code recordCount}
 * records. Any violation is a {@link CorruptRecordException} naming the batch's base offset and the record's
 * index. Confined to one thread.
 */
final class RecordIterator implements CloseableIterator<Record> {
    private final RecordBatch batch;
    private final long baseOffset;
    private final long firstTimestamp;
    private final long logAppendTime;
    private final boolean useLogAppendTime;
    private final int count;
    private ByteBuffer section;
    private int index;

    RecordIterator(RecordBatch batch, ByteBuffer rawSection) {
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

    @Override
    public boolean hasNext() {
        if (index < count) {
            return true;
        }
        if (section != null && section.hasRemaining()) {
            throw corrupt("declares " + count + " records but " + section.remaining() + " bytes follow the last one");
        }
        return false;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException(
                    "record batch at base offset " + baseOffset + " has only " + count + " records");
        }
        try {
            Record r = readRecord();
            index++;
            return r;
        } catch (CorruptRecordException e) {
            throw corrupt("record " + index + ": " + e.getMessage(), e);
        } catch (RuntimeException e) { // buffer underflow or bad slice bounds from a lying length field
            throw corrupt("record " + index + ": " + e, e);
        }
    }

    private Record readRecord() {
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
        // Parse inside a view limited to this record, so a bad inner length cannot read the next record.
        ByteBuffer r = s.duplicate().limit(end);
        s.position(end);

        r.get(); // record attributes: unused in v2
        long timestampDelta = ByteUtils.readVarlong(r);
        int offsetDelta = ByteUtils.readVarint(r);
        ByteBuffer key = readField(r, "key");
        ByteBuffer value = readField(r, "value");
        int headerCount = ByteUtils.readVarint(r);
        if (headerCount < 0 || headerCount > r.remaining()) {
            throw new CorruptRecordException(
                    "header count " + headerCount + " with " + r.remaining() + " bytes left in the record");
        }
        Header[] headers = headerCount == 0 ? Record.NO_HEADERS : new Header[headerCount];
        for (int i = 0; i < headerCount; i++) {
            int keyLength = ByteUtils.readVarint(r);
            if (keyLength < 0 || keyLength > r.remaining()) {
                throw new CorruptRecordException("header " + i + " key length " + keyLength + " with " + r.remaining()
                        + " bytes left in the record");
            }
            String headerKey = utf8(r, keyLength);
            ByteBuffer headerValue = readField(r, "header " + i + " value");
            byte[] valueBytes = null;
            if (headerValue != null) {
                valueBytes = new byte[headerValue.remaining()];
                headerValue.get(valueBytes);
            }
            headers[i] = new Header(headerKey, valueBytes);
        }
        if (r.hasRemaining()) {
            throw new CorruptRecordException(
                    "declared length " + length + " leaves " + r.remaining() + " unread bytes after its fields");
        }
        long timestamp = useLogAppendTime ? logAppendTime : firstTimestamp + timestampDelta;
        return new Record(baseOffset + offsetDelta, timestamp, key, value, headers);
    }

    /** A length-prefixed field: null for length -1, else a read-only slice, and the buffer moves past it. */
    private static ByteBuffer readField(ByteBuffer r, String what) {
        int len = ByteUtils.readVarint(r);
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > r.remaining()) {
            throw new CorruptRecordException(
                    what + " length " + len + " with " + r.remaining() + " bytes left in the record");
        }
        ByteBuffer field = r.slice(r.position(), len).asReadOnlyBuffer();
        r.position(r.position() + len);
        return field;
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

    private CorruptRecordException corrupt(String what) {
        return new CorruptRecordException("record batch at base offset " + baseOffset + ": " + what);
    }

    private CorruptRecordException corrupt(String what, Throwable cause) {
        return new CorruptRecordException("record batch at base offset " + baseOffset + ": " + what, cause);
    }

    @Override
    public void close() {
        section = null; // drop the decompressed copy now rather than when the iterator is collected
        index = count;
    }

    @Override
    public String toString() {
        return "RecordIterator(" + batch + ", next=" + index + ")";
    }
}
