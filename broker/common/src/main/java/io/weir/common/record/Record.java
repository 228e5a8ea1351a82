package io.weir.common.record;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record as read out of a {@link RecordBatch}: absolute offset and timestamp, key and value, headers.
 *
 * <p>Key and value are read-only {@link ByteBuffer} slices positioned at 0, or null when the record has none.
 * For an uncompressed batch they are views of the batch's own bytes (no copy), so they are valid only while
 * those bytes are: a reader that keeps a record beyond the life of the buffer it read (a pooled or mapped
 * segment buffer) must copy them, e.g. with {@link #keyBytes()}. For a compressed batch they view the
 * decompressed copy. Headers are materialized (their keys are Strings); the array is not defensively copied.
 */
public record Record(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {

    static final Header[] NO_HEADERS = new Header[0];

    public Record {
        Objects.requireNonNull(headers, "headers (use an empty array)");
    }

    /** A copy of the key, or null when the record has none. */
    public byte[] keyBytes() {
        return copy(key);
    }

    /** A copy of the value, or null when the record has none (a tombstone, in a compacted topic). */
    public byte[] valueBytes() {
        return copy(value);
    }

    /** The key length in bytes, or -1 when the record has no key. */
    public int keySize() {
        return key == null ? -1 : key.remaining();
    }

    /** The value length in bytes, or -1 when the record has no value. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && offset == r.offset
                && timestamp == r.timestamp
                && Objects.equals(key, r.key)
                && Objects.equals(value, r.value)
                && Arrays.equals(headers, r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestamp, key, value, Arrays.hashCode(headers));
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + sizeOf(key) + ", value="
                + sizeOf(value) + ", headers=" + Arrays.toString(headers) + ")";
    }

    private static String sizeOf(ByteBuffer b) {
        return b == null ? "null" : b.remaining() + " bytes";
    }
}
