package io.weir.common.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UtilsTest {

    /** The cases in Kafka's own UtilsTest.testMurmur2. */
    @Test
    void murmur2MatchesKafkasTestVectors() {
        assertEquals(-973932308, Utils.murmur2(ascii("21")));
        assertEquals(-790332482, Utils.murmur2(ascii("foobar")));
        assertEquals(-985981536, Utils.murmur2(ascii("a-little-bit-long-string")));
        assertEquals(-1486304829, Utils.murmur2(ascii("a-little-bit-longer-string")));
        assertEquals(-58897971, Utils.murmur2(ascii("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")));
        assertEquals(479470107, Utils.murmur2(new byte[] {'a', 'b', 'c'}));
    }

    /** Values Akka's cluster sharding pins against Kafka's implementation (covers every tail length). */
    @Test
    void murmur2MatchesAkkasKafkaCompatibleVectors() {
        assertEquals(-1993445489, Utils.murmur2(ascii("1")));
        assertEquals(126087238, Utils.murmur2(ascii("12")));
        assertEquals(-267702483, Utils.murmur2(ascii("123")));
        assertEquals(-1614185708, Utils.murmur2(ascii("1234")));
        assertEquals(-1188365604, Utils.murmur2(ascii("12345")));
    }

    @Test
    void toPositiveClearsOnlyTheSignBit() {
        assertEquals(0, Utils.toPositive(Integer.MIN_VALUE));
        assertEquals(Integer.MAX_VALUE, Utils.toPositive(-1));
        assertEquals(5, Utils.toPositive(5));
        assertEquals(0x7ffffffb, Utils.toPositive(-5));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
