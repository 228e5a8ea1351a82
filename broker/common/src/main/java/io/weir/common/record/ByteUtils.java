package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * Zig-zag varint and varlong encoding as used inside v2 records (the protobuf encoding Kafka adopted): signed
 * values are zig-zag mapped so that small negative deltas stay short, then written 7 bits at a time, least
 * significant group first, with the high bit of each byte marking "more follows".
 *
 * <p>All methods are static and stateless. Readers use relative gets and advance the buffer they are given;
 * writers assume the caller has made room (the builder sizes every record before writing it).
 */
final class ByteUtils {
    private ByteUtils() {}

    static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        // Each 7 payload bits need one byte; (38 - nlz) / 7 counts them without a loop. A zero needs one byte.
        return v == 0 ? 1 : (38 - Integer.numberOfLeadingZeros(v)) / 7;
    }

    static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        return v == 0 ? 1 : (70 - Long.numberOfLeadingZeros(v)) / 7;
    }

    static void writeVarint(int value, ByteBuffer buffer) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    static void writeVarlong(long value, ByteBuffer buffer) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /**
     * Reads a zig-zag varint at the buffer's position and advances past it.
     *
     * @throws CorruptRecordException if more than 5 bytes carry the continuation bit, or the buffer ends first
     */
    static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        int shift = 0;
        while (true) {
            if (!buffer.hasRemaining()) {
                throw new CorruptRecordException(
                        "varint runs past the end of its buffer at position " + buffer.position());
            }
            byte b = buffer.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 28) {
                throw new CorruptRecordException("varint longer than 5 bytes ending at position " + buffer.position());
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    /**
     * Reads a zig-zag varlong at the buffer's position and advances past it.
     *
     * @throws CorruptRecordException if more than 10 bytes carry the continuation bit, or the buffer ends first
     */
    static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (!buffer.hasRemaining()) {
                throw new CorruptRecordException(
                        "varlong runs past the end of its buffer at position " + buffer.position());
            }
            byte b = buffer.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new CorruptRecordException(
                        "varlong longer than 10 bytes ending at position " + buffer.position());
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Number of bytes {@code s} takes in UTF-8, computed without allocating (header keys on the hot path). */
    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair of chars
                    i++;
                } else {
                    bytes += 2; // 3-byte BMP char, or an unpaired surrogate written as U+FFFD (also 3 bytes)
                }
            }
        }
        return bytes;
    }

    /**
     * Writes {@code s} as UTF-8, exactly {@link #utf8Length} bytes. An unpaired surrogate, which has no UTF-8
     * form, is written as U+FFFD ({@code String.getBytes(UTF_8)} would write '?'; neither can round-trip).
     */
    static void writeUtf8(String s, ByteBuffer buffer) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer.put((byte) c);
            } else if (c < 0x800) {
                buffer.put((byte) (0xc0 | (c >> 6)));
                buffer.put((byte) (0x80 | (c & 0x3f)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer.put((byte) (0xf0 | (cp >> 18)));
                buffer.put((byte) (0x80 | ((cp >> 12) & 0x3f)));
                buffer.put((byte) (0x80 | ((cp >> 6) & 0x3f)));
                buffer.put((byte) (0x80 | (cp & 0x3f)));
            } else if (Character.isSurrogate(c)) {
                // U+FFFD REPLACEMENT CHARACTER, 3 bytes like any other BMP char.
                buffer.put((byte) 0xef);
                buffer.put((byte) 0xbf);
                buffer.put((byte) 0xbd);
            } else {
                buffer.put((byte) (0xe0 | (c >> 12)));
                buffer.put((byte) (0x80 | ((c >> 6) & 0x3f)));
                buffer.put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }
}
