package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cleaner's {@link OffsetMap} against a {@code HashMap} over random puts (in offset order, as a pass makes
 * them), look-ups, and clears, across its growth up to its bound: every key answers its latest offset, an
 * absent key -1, the size is the number of distinct keys, and the memory never passes the bound.
 */
class OffsetMapProperties {

    record Step(int kind, int key) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.integers().between(0, 6000))
                .as(Step::new)
                .list()
                .ofMaxSize(3000);
    }

    @Property(tries = 60, seed = "20261121")
    void answersLikeAHashMapWithinItsBound(
            @ForAll("steps") List<Step> steps, @ForAll("loadFactors") double loadFactor) {
        long memory = 4096L * OffsetMap.BYTES_PER_ENTRY;
        OffsetMap map = new OffsetMap(memory, loadFactor);
        Map<Integer, Long> model = new HashMap<>();
        long offset = 0;
        for (Step step : steps) {
            if (step.kind() == 0) {
                map.clear();
                model.clear();
            } else if (step.kind() <= 12) {
                if (map.hasRoomFor(1, offset) || model.containsKey(step.key())) {
                    map.put(key(step.key()), offset);
                    model.put(step.key(), offset);
                }
                offset++;
            } else {
                assertEquals(model.getOrDefault(step.key(), -1L), map.get(key(step.key())), "key " + step.key());
            }
            assertEquals(model.size(), map.size());
            assertTrue(map.memoryInUse() <= memory, "memory " + map.memoryInUse());
            assertTrue(map.size() <= map.maxEntries());
        }
        model.forEach((k, o) -> assertEquals(o, map.get(key(k))));
    }

    @Provide
    Arbitrary<Double> loadFactors() {
        return Arbitraries.of(0.25, 0.5, 0.9, 1.0);
    }

    private static ByteBuffer key(int k) {
        return ByteBuffer.wrap(("key-" + k + "-" + "x".repeat(k % 23)).getBytes(StandardCharsets.UTF_8));
    }
}
