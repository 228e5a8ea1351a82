package io.weir.common.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.SerializationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SerializationTest {

    private static final String TOPIC = "payments";

    private static <T> void roundTrips(Serializer<T> ser, Deserializer<T> de, T value) {
        byte[] bytes = ser.serialize(TOPIC, value);
        assertEquals(value, de.deserialize(TOPIC, bytes));
        assertEquals(value, de.deserialize(TOPIC, bytes == null ? null : ByteBuffer.wrap(bytes)));
        assertNull(ser.serialize(TOPIC, null));
        assertNull(de.deserialize(TOPIC, (byte[]) null));
    }

    @Test
    void fixedWidthNumbersAreBigEndianAsInKafka() {
        assertArrayEquals(new byte[] {1, 2, 3, 4}, new IntegerSerializer().serialize(TOPIC, 0x01020304));
        assertArrayEquals(new byte[] {1, 2}, new ShortSerializer().serialize(TOPIC, (short) 0x0102));
        assertArrayEquals(
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new LongSerializer().serialize(TOPIC, 0x0102030405060708L));
        assertArrayEquals(new byte[] {0x3f, (byte) 0x80, 0, 0}, new FloatSerializer().serialize(TOPIC, 1.0f));
        assertArrayEquals(
                new byte[] {0x3f, (byte) 0xf0, 0, 0, 0, 0, 0, 0}, new DoubleSerializer().serialize(TOPIC, 1.0d));
    }

    @Test
    void numbersRoundTripIncludingExtremes() {
        for (int v : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 42}) {
            roundTrips(new IntegerSerializer(), new IntegerDeserializer(), v);
        }
        for (long v : new long[] {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE}) {
            roundTrips(new LongSerializer(), new LongDeserializer(), v);
        }
        for (short v : new short[] {0, -1, Short.MIN_VALUE, Short.MAX_VALUE}) {
            roundTrips(new ShortSerializer(), new ShortDeserializer(), v);
        }
        for (float v : new float[] {0f, -0f, Float.NaN, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, 3.25f}) {
            roundTrips(new FloatSerializer(), new FloatDeserializer(), v);
        }
        for (double v : new double[] {0d, -0d, Double.NaN, Double.MAX_VALUE, Double.POSITIVE_INFINITY, -2.5}) {
            roundTrips(new DoubleSerializer(), new DoubleDeserializer(), v);
        }
    }

    @Test
    void wrongLengthNamesTopicExpectedAndActualSizes() {
        SerializationException e = assertThrows(
                SerializationException.class, () -> new IntegerDeserializer().deserialize(TOPIC, new byte[3]));
        assertTrue(
                e.getMessage().contains(TOPIC) && e.getMessage().contains("expected 4 bytes but got 3"),
                e.getMessage());
        assertThrows(SerializationException.class, () -> new LongDeserializer().deserialize(TOPIC, new byte[9]));
        assertThrows(SerializationException.class, () -> new ShortDeserializer().deserialize(TOPIC, new byte[0]));
        assertThrows(SerializationException.class, () -> new FloatDeserializer().deserialize(TOPIC, new byte[8]));
        assertTrue(assertThrows(
                        SerializationException.class, () -> new DoubleDeserializer().deserialize(TOPIC, new byte[4]))
                .getMessage()
                .contains("expected 8 bytes but got 4"));
    }

    @Test
    void stringsAreUtf8ByDefaultAndHonourTheEncodingSetting() {
        roundTrips(new StringSerializer(), new StringDeserializer(), "grüße, 世界 🌍");
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), new StringSerializer().serialize(TOPIC, "é"));

        StringSerializer latin1Keys = new StringSerializer();
        latin1Keys.configure(Map.of("key.serializer.encoding", "ISO-8859-1", "serializer.encoding", "UTF-16"), true);
        assertArrayEquals(new byte[] {(byte) 0xe9}, latin1Keys.serialize(TOPIC, "é"));
        StringDeserializer shared = new StringDeserializer();
        shared.configure(Map.of("deserializer.encoding", "ISO-8859-1"), false);
        assertEquals("é", shared.deserialize(TOPIC, new byte[] {(byte) 0xe9}));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StringSerializer()
                .configure(Map.of("value.serializer.encoding", "klingon"), false));
        assertTrue(e.getMessage().contains("klingon"));
    }

    @Test
    void uuidsAreTheirStringForm() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertArrayEquals(
                "123e4567-e89b-12d3-a456-426614174000".getBytes(StandardCharsets.UTF_8),
                new UUIDSerializer().serialize(TOPIC, id));
        roundTrips(new UUIDSerializer(), new UUIDDeserializer(), id);
        SerializationException e = assertThrows(SerializationException.class, () -> new UUIDDeserializer()
                .deserialize(TOPIC, "not-a-uuid".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not-a-uuid") && e.getMessage().contains(TOPIC));
    }

    @Test
    void byteArraysAndBuffersPassThrough() {
        byte[] b = {1, 2, 3};
        assertArrayEquals(
                b, new ByteArrayDeserializer().deserialize(TOPIC, new ByteArraySerializer().serialize(TOPIC, b)));
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {9, 8, 7, 6}).position(1);
        assertArrayEquals(new byte[] {8, 7, 6}, new ByteBufferSerializer().serialize(TOPIC, buf));
        assertEquals(1, buf.position(), "serializing leaves the position alone");
        ByteBuffer direct =
                ByteBuffer.allocateDirect(2).put((byte) 5).put((byte) 4).flip();
        assertArrayEquals(new byte[] {5, 4}, new ByteBufferSerializer().serialize(TOPIC, direct));
        assertEquals(ByteBuffer.wrap(b), new ByteBufferDeserializer().deserialize(TOPIC, b));
    }

    @Test
    void voidAcceptsOnlyAbsentData() {
        assertNull(new VoidSerializer().serialize(TOPIC, null));
        assertNull(new VoidDeserializer().deserialize(TOPIC, (byte[]) null));
        SerializationException e = assertThrows(
                SerializationException.class, () -> new VoidDeserializer().deserialize(TOPIC, new byte[2]));
        assertTrue(e.getMessage().contains(TOPIC) && e.getMessage().contains("2 bytes"));
    }
}
