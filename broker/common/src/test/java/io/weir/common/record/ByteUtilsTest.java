package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ByteUtilsTest {

    @Test
    void varintsUseZigZagEncoding() {
        assertArrayEquals(new byte[] {0x00}, varint(0));
        assertArrayEquals(new byte[] {0x01}, varint(-1));
        assertArrayEquals(new byte[] {0x02}, varint(1));
        assertArrayEquals(new byte[] {0x7f}, varint(-64));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, varint(64));
        assertArrayEquals(
                new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, varint(Integer.MAX_VALUE));
        assertArrayEquals(
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, varint(Integer.MIN_VALUE));
    }

    @Property(seed = "11")
    void varintsRoundTripWithExactSize(@ForAll int value) {
        ByteBuffer b = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(value, b);
        assertEquals(ByteUtils.sizeOfVarint(value), b.position());
        b.flip();
        assertEquals(value, ByteUtils.readVarint(b));
    }

    @Property(seed = "12")
    void varlongsRoundTripWithExactSize(@ForAll long value) {
        ByteBuffer b = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, b);
        assertEquals(ByteUtils.sizeOfVarlong(value), b.position());
        b.flip();
        assertEquals(value, ByteUtils.readVarlong(b));
    }

    @Property(seed = "13")
    void utf8MatchesTheJdkForWellFormedStrings(@ForAll @StringLength(max = 40) String s) {
        byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
        if (s.chars().anyMatch(c -> Character.isSurrogate((char) c))
                && !new String(jdk, StandardCharsets.UTF_8).equals(s)) {
            return; // unpaired surrogates have no UTF-8 form; only the length contract applies
        }
        ByteBuffer b = ByteBuffer.allocate(jdk.length);
        ByteUtils.writeUtf8(s, b);
        assertEquals(jdk.length, ByteUtils.utf8Length(s));
        assertArrayEquals(jdk, b.array());
    }

    @Test
    void unpairedSurrogateWritesExactlyItsMeasuredLength() {
        String s = "a\ud800b";
        ByteBuffer b = ByteBuffer.allocate(ByteUtils.utf8Length(s));
        ByteUtils.writeUtf8(s, b);
        assertEquals(b.capacity(), b.position());
    }

    @Test
    void overlongVarintIsCorrupt() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1});
        assertThrows(CorruptRecordException.class, () -> ByteUtils.readVarint(b));
        assertThrows(
                CorruptRecordException.class, () -> ByteUtils.readVarint(ByteBuffer.wrap(new byte[] {(byte) 0x80})));
    }

    private static byte[] varint(int v) {
        ByteBuffer b = ByteBuffer.allocate(5);
        ByteUtils.writeVarint(v, b);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
