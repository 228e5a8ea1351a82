package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.TimeoutException;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random chains of allocations (batch-sized and odd-sized), returns and byte-only releases against a pool with
 * slabs. After every step: the bytes handed out plus {@link BufferPool#availableMemory()} equal
 * {@code buffer.memory}; no two buffers handed out share a byte; a buffer comes out cleared and of the size
 * asked; and an allocation fails (with {@code max.block.ms=0}) exactly when the pool has too little left.
 * jqwik's seed is fixed, so the suite is deterministic; a failure prints the shrunk chain.
 */
class BufferPoolProperties {
    private static final int BATCH = 64;
    private static final long TOTAL = 20L * BATCH;

    enum Kind {
        ALLOCATE_BATCH,
        ALLOCATE_ODD,
        DEALLOCATE,
        RELEASE
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Kind, Integer>>> chains() {
        return Arbitraries.of(Kind.class)
                .flatMap(kind -> Arbitraries.integers().between(1, 3 * BATCH).map(n -> Tuple.of(kind, n)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(80);
    }

    @Property(tries = 300, seed = "20")
    void theBytesHandedOutAndTheBytesAvailableAlwaysAddUpAndNoTwoBuffersOverlap(
            @ForAll("chains") List<Tuple.Tuple2<Kind, Integer>> chain) {
        BufferPool pool = new BufferPool(TOTAL, BATCH, 4 * BATCH, new MockTime());
        List<ByteBuffer> out = new ArrayList<>();
        for (Tuple.Tuple2<Kind, Integer> step : chain) {
            int n = step.get2();
            switch (step.get1()) {
                case ALLOCATE_BATCH, ALLOCATE_ODD -> {
                    int size = step.get1() == Kind.ALLOCATE_BATCH ? BATCH : (n == BATCH ? BATCH + 1 : n);
                    if (pool.availableMemory() >= size) {
                        ByteBuffer b = pool.allocate(size, 0);
                        assertEquals(size, b.capacity());
                        assertEquals(0, b.position());
                        assertEquals(size, b.limit());
                        b.put(0, (byte) 1); // used, so a reuse that skips clear() or overlaps shows up
                        out.add(b);
                    } else {
                        assertThrows(TimeoutException.class, () -> pool.allocate(size, 0));
                    }
                }
                case DEALLOCATE, RELEASE -> {
                    if (!out.isEmpty()) {
                        ByteBuffer b = out.remove(n % out.size());
                        if (step.get1() == Kind.DEALLOCATE) {
                            pool.deallocate(b);
                        } else {
                            pool.release(b);
                            assertFalse(pool.isFree(b), "a released buffer is never handed out again");
                        }
                    }
                }
            }
            long handedOut = out.stream().mapToLong(ByteBuffer::capacity).sum();
            assertEquals(TOTAL, handedOut + pool.availableMemory(), "bytes out + available == buffer.memory");
            assertNoOverlap(out);
            assertTrue(pool.freeBuffers() * (long) BATCH <= pool.availableMemory());
        }
    }

    private static void assertNoOverlap(List<ByteBuffer> out) {
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                ByteBuffer a = out.get(i);
                ByteBuffer b = out.get(j);
                if (a.array() == b.array()) {
                    boolean disjoint = a.arrayOffset() + a.capacity() <= b.arrayOffset()
                            || b.arrayOffset() + b.capacity() <= a.arrayOffset();
                    assertTrue(disjoint, "two buffers handed out share bytes: " + a + " and " + b);
                }
            }
        }
    }
}
