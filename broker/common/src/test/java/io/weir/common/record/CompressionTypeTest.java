package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTypeTest {

    @Test
    void idsAndNamesAreKafkas() {
        assertEquals(CompressionType.NONE, CompressionType.forId(0));
        assertEquals(CompressionType.GZIP, CompressionType.forId(1));
        assertEquals(CompressionType.SNAPPY, CompressionType.forId(2));
        assertEquals(CompressionType.LZ4, CompressionType.forId(3));
        assertEquals(CompressionType.ZSTD, CompressionType.forId(4));
        for (CompressionType t : CompressionType.values()) {
            assertEquals(t, CompressionType.forName(t.configName()));
            assertEquals(t, t.codec().type());
        }
    }

    @Test
    void unknownIdNamesTheValueAndTheKnownIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompressionType.forId(5));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4=zstd"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompressionType.forId(-1));
    }

    @Test
    void unknownNameNamesTheValueAndTheKnownNames() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CompressionType.forName("brotli"));
        assertTrue(e.getMessage().contains("brotli") && e.getMessage().contains("snappy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompressionType.forName("GZIP"));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void codecsRoundTripEmptySmallAndMultiBlockInputs(CompressionType type) throws IOException {
        for (byte[] input : new byte[][] {new byte[0], "hello".getBytes(), randomish(300_000, 1L)}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer src = ByteBuffer.wrap(input);
            type.codec().compress(src, out);
            assertEquals(0, src.position());
            ByteBuffer compressed = ByteBuffer.wrap(out.toByteArray());
            ByteBuffer back = type.codec().decompress(compressed);
            assertEquals(0, compressed.position());
            byte[] result = new byte[back.remaining()];
            back.get(result);
            assertArrayEquals(input, result, type + " of " + input.length + " bytes");
        }
    }

    @Test
    void lz4WritesKafkasFrameHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressionType.LZ4.codec().compress(ByteBuffer.wrap("abc".getBytes()), out);
        byte[] frame = out.toByteArray();
        // magic 0x184D2204 LE, FLG 0x60, BD 0x40, HC = (xxh32(60 40) >> 8) & 0xff
        assertArrayEquals(new byte[] {0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, (byte) 0x82}, Arrays.copyOf(frame, 7));
        assertArrayEquals(new byte[4], Arrays.copyOfRange(frame, frame.length - 4, frame.length), "end mark");
    }

    @Test
    void lz4FramesInteroperateWithLz4JavasFrameStreams() throws IOException {
        byte[] input = randomish(200_000, 2L);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        CompressionType.LZ4.codec().compress(ByteBuffer.wrap(input), ours);
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(ours.toByteArray()))) {
            assertArrayEquals(input, in.readAllBytes());
        }

        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(
                theirs,
                LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                input.length,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            out.write(input);
        }
        ByteBuffer back = CompressionType.LZ4.codec().decompress(ByteBuffer.wrap(theirs.toByteArray()));
        byte[] result = new byte[back.remaining()];
        back.get(result);
        assertArrayEquals(input, result);
    }

    @Test
    void lz4RejectsACorruptDescriptorChecksum() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressionType.LZ4.codec().compress(ByteBuffer.wrap("abc".getBytes()), out);
        byte[] frame = out.toByteArray();
        frame[6] ^= 1;
        IOException e = assertThrows(
                IOException.class, () -> CompressionType.LZ4.codec().decompress(ByteBuffer.wrap(frame)));
        assertTrue(e.getMessage().contains("descriptor checksum"), e.getMessage());
    }

    @Test
    void gzipOutputIsAStandardGzipMember() throws IOException {
        byte[] input = randomish(50_000, 3L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressionType.GZIP.codec().compress(ByteBuffer.wrap(input), out);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            assertArrayEquals(input, in.readAllBytes());
        }
    }

    @Test
    void snappyUsesXerialStreamFraming() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompressionType.SNAPPY.codec().compress(ByteBuffer.wrap("abc".getBytes()), out);
        // xerial's magic header: 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, then version 1 and compatible version 1.
        assertArrayEquals(
                new byte[] {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1},
                Arrays.copyOf(out.toByteArray(), 16));
    }

    /** Half random, half runs, so both stored and compressed blocks appear. */
    private static byte[] randomish(int size, long seed) {
        byte[] b = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (i / 1000) % 2 == 0 ? (byte) random.nextInt() : (byte) (i % 7);
        }
        return b;
    }
}
