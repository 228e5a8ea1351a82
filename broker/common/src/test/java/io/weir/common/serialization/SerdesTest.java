package io.weir.common.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SerdesTest {

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void eachStandardSerdeReadsBackWhatItWrote() {
        assertEquals("héllo", roundTrip(Serdes.String(), "héllo"));
        assertEquals(Long.MIN_VALUE, roundTrip(Serdes.Long(), Long.MIN_VALUE));
        assertEquals(-7, roundTrip(Serdes.Integer(), -7));
        assertEquals((short) 300, roundTrip(Serdes.Short(), (short) 300));
        assertEquals(2.5, roundTrip(Serdes.Double(), 2.5));
        assertEquals(1.25f, roundTrip(Serdes.Float(), 1.25f));
        assertArrayEquals(new byte[] {1, 2}, roundTrip(Serdes.ByteArray(), new byte[] {1, 2}));
        assertEquals(ByteBuffer.wrap(new byte[] {3}), roundTrip(Serdes.ByteBuffer(), ByteBuffer.wrap(new byte[] {3})));
        UUID id = new UUID(1, 2);
        assertEquals(id, roundTrip(Serdes.UUID(), id));
        assertNull(roundTrip(Serdes.Void(), null));
    }

    @Test
    void nullStaysNull() {
        assertNull(roundTrip(Serdes.String(), null));
        assertNull(roundTrip(Serdes.Long(), null));
    }

    @Test
    void longsUseKafkasEightByteBigEndianEncoding() {
        assertArrayEquals(
                new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, Serdes.Long().serializer().serialize("t", 256L));
    }

    @Test
    void serdeFromRefusesAMissingHalf() {
        assertThrows(NullPointerException.class, () -> Serdes.serdeFrom(new StringSerializer(), null));
    }
}
