package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The builder's bytes against batches written out by hand from the v2 layout, field by field, with every varint
 * spelled as literal bytes. If these break, the on-disk and wire format changed.
 */
class RecordBatchGoldenTest {

    private static final long T0 = 1_600_000_000_000L;

    @Test
    void crc32cIsCastagnoli() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, crc.getValue(), "standard CRC-32C check value");
    }

    @Test
    void uncompressedBatchMatchesHandWrittenLayout() {
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, 1000L, (short) 5, 7, false);
        builder.append(T0, ascii("k1"), ascii("v1"), new Header[] {new Header("h", new byte[] {1})});
        builder.append(T0 + 300, null, ascii("value2"), null);
        ByteBuffer built = builder.build();

        byte[] records = bytes(
                // record 0: length 14
                0x1c,
                0x00, // attributes
                0x00, // timestampDelta 0
                0x00, // offsetDelta 0
                0x04,
                'k',
                '1', // key length 2
                0x04,
                'v',
                '1', // value length 2
                0x02, // 1 header
                0x02,
                'h', // header key length 1
                0x02,
                0x01, // header value length 1
                // record 1: length 13
                0x1a,
                0x00,
                0xd8,
                0x04, // timestampDelta 300 -> zig-zag 600 -> 0xd8 0x04
                0x02, // offsetDelta 1
                0x01, // key length -1 (null)
                0x0c,
                'v',
                'a',
                'l',
                'u',
                'e',
                '2',
                0x00); // no headers
        byte[] expected = header(90, 0x0000, 1, T0, T0 + 300, 1000L, (short) 5, 7, 2, records);

        assertArrayEquals(expected, toArray(built));
        assertEquals(0, built.position());
        assertEquals(90, built.limit());
    }

    @Test
    void controlBatchMatchesHandWrittenLayout() {
        ByteBuffer built = RecordBatchBuilder.controlBatch(ControlRecordType.COMMIT, 42L, (short) 3, 1000L, 7);

        byte[] records = bytes(
                0x20, // length 16
                0x00, 0x00, 0x00, // attributes, timestampDelta, offsetDelta
                0x08, 0x00, 0x00, 0x00, 0x01, // key: version 0, type 1 (COMMIT)
                0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, // value: version 0, coordinatorEpoch 7
                0x00);
        byte[] expected = header(78, 0x0030, 0, 1000L, 1000L, 42L, (short) 3, -1, 1, records);

        assertArrayEquals(expected, toArray(built));
        RecordBatch batch = RecordBatch.wrap(built);
        assertEquals(ControlRecordType.COMMIT, batch.controlType());
        assertEquals(7, batch.coordinatorEpoch());
    }

    /** The 61-byte header, field by field in spec order, followed by the records and with the CRC filled in. */
    private static byte[] header(
            int size,
            int attributes,
            int lastOffsetDelta,
            long firstTimestamp,
            long maxTimestamp,
            long producerId,
            short producerEpoch,
            int baseSequence,
            int count,
            byte[] records) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(0L); // baseOffset
        b.putInt(size - 12); // length
        b.putInt(0); // partitionLeaderEpoch
        b.put((byte) 2); // magic
        b.putInt(0); // crc, filled below
        b.putShort((short) attributes);
        b.putInt(lastOffsetDelta);
        b.putLong(firstTimestamp);
        b.putLong(maxTimestamp);
        b.putLong(producerId);
        b.putShort(producerEpoch);
        b.putInt(baseSequence);
        b.putInt(count);
        assertEquals(61, b.position());
        b.put(records);
        assertEquals(size, b.position(), "hand-written size");
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 21, size - 21);
        b.putInt(17, (int) crc.getValue());
        return b.array();
    }

    private static byte[] bytes(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int v : values) {
            out.write(v);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
