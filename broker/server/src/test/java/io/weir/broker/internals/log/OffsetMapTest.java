package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetMapTest {
    private static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void remembersTheLatestOffsetOfEachKeyWhileItGrows() {
        OffsetMap map = new OffsetMap(1_000_000L * OffsetMap.BYTES_PER_ENTRY, 0.9);
        Map<String, Long> model = new HashMap<>();
        Random random = new Random(7);
        for (long offset = 0; offset < 200_000; offset++) {
            String k = "key-" + random.nextInt(50_000) + "-" + "x".repeat(random.nextInt(40));
            map.put(key(k), offset);
            model.put(k, offset);
        }
        assertEquals(model.size(), map.size());
        model.forEach((k, offset) -> assertEquals(offset, map.get(key(k)), k));
        assertEquals(-1L, map.get(key("absent")));
        assertEquals(199_999L, map.latestOffset());
        assertTrue(map.memoryInUse() <= 1_000_000L * OffsetMap.BYTES_PER_ENTRY);
    }

    @Test
    void isBoundedByItsMemoryAndLoadFactor() {
        OffsetMap map = new OffsetMap(2048L * OffsetMap.BYTES_PER_ENTRY, 0.5);
        assertEquals(1024, map.maxEntries());
        for (int i = 0; i < 1024; i++) {
            assertTrue(map.hasRoomFor(1, i));
            map.put(key("k" + i), i);
        }
        assertFalse(map.hasRoomFor(1, 1024));
        assertTrue(map.memoryInUse() <= 2048L * OffsetMap.BYTES_PER_ENTRY);
        map.clear();
        assertEquals(0, map.size());
        assertEquals(-1L, map.get(key("k1")));
    }

    @Test
    void aTotallyFullTableStillAnswersAndRefusesNewKeys() {
        OffsetMap map = new OffsetMap(1024L * OffsetMap.BYTES_PER_ENTRY, 1.0);
        for (int i = 0; i < 1024; i++) {
            map.put(key("k" + i), i);
        }
        assertEquals(-1L, map.get(key("missing")));
        map.put(key("k5"), 5000);
        assertEquals(5000L, map.get(key("k5")));
        assertThrows(IllegalStateException.class, () -> map.put(key("new"), 1));
    }

    @Test
    void offsetsSpanAtMost32BitsFromTheFirstOnePut() {
        OffsetMap map = new OffsetMap(1024L * OffsetMap.BYTES_PER_ENTRY, 0.9);
        long base = 10_000_000_000L;
        map.put(key("a"), base);
        assertTrue(map.hasRoomFor(1, base + 0xFFFF_FFFEL));
        assertFalse(map.hasRoomFor(1, base + 0xFFFF_FFFFL));
        map.put(key("b"), base + 0xFFFF_FFFEL);
        assertEquals(base + 0xFFFF_FFFEL, map.get(key("b")));
        assertEquals(base, map.get(key("a")));
        assertThrows(IllegalStateException.class, () -> map.put(key("c"), base + 0xFFFF_FFFFL));
        map.clear();
        assertTrue(map.hasRoomFor(1, 0));
        map.put(key("a"), 3);
        assertEquals(3L, map.get(key("a")));
    }

    @Test
    void refusesLessThanAThousandKeysOfMemory() {
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(100, 0.9));
    }
}
