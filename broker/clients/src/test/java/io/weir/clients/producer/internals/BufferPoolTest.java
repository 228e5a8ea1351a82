package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.InterruptException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.utils.MockTime;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The pool's contract: bounded by buffer.memory, blocking up to max.block.ms on the injected clock, reusing. */
class BufferPoolTest {
    private static final int BATCH = 1024;
    private final MockTime time = new MockTime();

    /** One buffer a slab, so each allocation is its own array; {@link #batchBuffersAreSlicesOfSlabs} covers slabs. */
    private BufferPool pool(int batches) {
        return new BufferPool((long) batches * BATCH, BATCH, BATCH, time);
    }

    private static void awaitWaiter(BufferPool pool) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.waiters() == 0) {
            assertTrue(System.nanoTime() < deadline, "the allocation never started waiting");
            Thread.onSpinWait();
        }
    }

    @Test
    void aReturnedBatchBufferIsHandedOutAgainCleared() {
        BufferPool pool = pool(4);
        ByteBuffer first = pool.allocate(BATCH, 0);
        first.put(new byte[10]);
        pool.deallocate(first);
        assertEquals(1, pool.freeBuffers());
        ByteBuffer again = pool.allocate(BATCH, 0);
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(BATCH, again.limit());
    }

    @Test
    void handsOutNoMoreThanBufferMemoryAndTimesOutAfterMaxBlockMsOnTheInjectedClock() throws Exception {
        BufferPool pool = pool(2);
        pool.allocate(BATCH, 0);
        pool.allocate(BATCH, 0);
        assertEquals(0, pool.availableMemory());
        CompletableFuture<ByteBuffer> blocked = CompletableFuture.supplyAsync(() -> pool.allocate(BATCH, 500));
        awaitWaiter(pool);
        time.sleep(499);
        assertFalse(blocked.isDone(), "max.block.ms has not passed yet");
        time.sleep(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        TimeoutException timeout = assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(
                timeout.getMessage().contains("max.block.ms=500")
                        && timeout.getMessage().contains("buffer.memory=2048"),
                timeout.getMessage());
        assertEquals(0, pool.waiters());
    }

    @Test
    void aBlockedAllocationGetsTheBufferThatIsReturned() throws Exception {
        BufferPool pool = pool(1);
        ByteBuffer only = pool.allocate(BATCH, 0);
        CompletableFuture<ByteBuffer> blocked = CompletableFuture.supplyAsync(() -> pool.allocate(BATCH, 60_000));
        awaitWaiter(pool);
        pool.deallocate(only);
        assertSame(only, blocked.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aWaitingAllocationIsServedBeforeLaterOnesThatWouldTakeTheBuffersItNeeds() throws Exception {
        BufferPool pool = pool(4);
        ByteBuffer a = pool.allocate(BATCH, 0);
        ByteBuffer b = pool.allocate(BATCH, 0);
        pool.allocate(BATCH, 0);
        pool.allocate(BATCH, 0);
        // A record larger than batch.size: it needs two returned buffers' bytes at once.
        CompletableFuture<ByteBuffer> large = CompletableFuture.supplyAsync(() -> pool.allocate(2 * BATCH, 60_000));
        awaitWaiter(pool);
        pool.deallocate(a);
        assertThrows(
                TimeoutException.class,
                () -> pool.allocate(BATCH, 0),
                "a later allocation queues behind the waiting one instead of taking the buffer it waits for");
        pool.deallocate(b);
        assertEquals(2 * BATCH, large.get(10, TimeUnit.SECONDS).capacity());
        assertEquals(0, pool.waiters());
        assertEquals(0, pool.availableMemory());
    }

    @Test
    void anOddSizeIsAllocatedFreshAndDroppedWhenReturned() {
        BufferPool pool = pool(4);
        ByteBuffer odd = pool.allocate(100, 0);
        assertEquals(100, odd.capacity());
        assertEquals(4 * BATCH - 100, pool.availableMemory());
        pool.deallocate(odd);
        assertEquals(0, pool.freeBuffers());
        assertEquals(4 * BATCH, pool.availableMemory());
        assertNotSame(odd, pool.allocate(100, 0));
    }

    @Test
    void freeBuffersAreDroppedToMakeRoomForALargerOne() {
        BufferPool pool = pool(3);
        ByteBuffer a = pool.allocate(BATCH, 0);
        ByteBuffer b = pool.allocate(BATCH, 0);
        ByteBuffer c = pool.allocate(BATCH, 0);
        pool.deallocate(a);
        pool.deallocate(b);
        pool.deallocate(c);
        ByteBuffer big = pool.allocate(2 * BATCH + 1, 0);
        assertEquals(2 * BATCH + 1, big.capacity());
        assertEquals(0, pool.freeBuffers());
        assertEquals(BATCH - 1, pool.availableMemory());
    }

    @Test
    void releaseCountsTheBytesBackButNeverReusesTheBuffer() {
        BufferPool pool = pool(1);
        ByteBuffer stillRead = pool.allocate(BATCH, 0);
        pool.release(stillRead);
        assertEquals(BATCH, pool.availableMemory());
        assertEquals(0, pool.freeBuffers());
        assertNotSame(stillRead, pool.allocate(BATCH, 0));
    }

    @Test
    void batchBuffersAreSlicesOfSlabsThatCountAgainstBufferMemoryWhenCarved() {
        BufferPool pool = new BufferPool(10L * BATCH, BATCH, 4 * BATCH, time);
        ByteBuffer first = pool.allocate(BATCH, 0);
        assertEquals(3, pool.freeBuffers(), "the rest of the slab waits in the free list");
        assertEquals(9 * BATCH, pool.availableMemory());
        ByteBuffer second = pool.allocate(BATCH, 0);
        assertSame(first.array(), second.array());
        assertEquals(BATCH, second.capacity());
        assertTrue(first.arrayOffset() != second.arrayOffset());
        second.put(0, (byte) 1);
        assertEquals(0, first.get(0), "slices do not overlap");
        for (int i = 0; i < 2; i++) {
            pool.allocate(BATCH, 0);
        }
        ByteBuffer fifth = pool.allocate(BATCH, 0);
        assertNotSame(first.array(), fifth.array(), "the next slab");
        pool.allocate(BATCH, 0);
        pool.allocate(BATCH, 0);
        pool.allocate(BATCH, 0);
        ByteBuffer ninth = pool.allocate(BATCH, 0);
        assertEquals(1, pool.freeBuffers(), "the last slab holds only what buffer.memory has left: 2 buffers");
        assertNotSame(fifth.array(), ninth.array());
        pool.allocate(BATCH, 0);
        assertEquals(0, pool.availableMemory());
    }

    @Test
    void refusesASizeLargerThanTheWholePool() {
        BufferPool pool = pool(2);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> pool.allocate(2 * BATCH + 1, 60_000));
        assertTrue(e.getMessage().contains("2049") && e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void anInterruptedWaiterGivesUpWithInterruptException() throws Exception {
        BufferPool pool = pool(1);
        pool.allocate(BATCH, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.allocate(BATCH, 60_000);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        waiter.start();
        awaitWaiter(pool);
        waiter.interrupt();
        waiter.join(10_000);
        assertInstanceOf(InterruptException.class, failure.get());
        assertEquals(0, pool.availableMemory(), "the failed wait took nothing");
    }

    @Test
    void aNewAllocationTakesFreeMemoryAtOnceWhileALargerOneWaits() throws Exception {
        // The sender thread runs a batch's callbacks before it returns the batch's buffer: a send() from a callback
        // that queued behind a waiter only the sender can serve would stall both for max.block.ms.
        BufferPool pool = pool(2);
        ByteBuffer inFlight = pool.allocate(BATCH, 0);
        CompletableFuture<ByteBuffer> large = CompletableFuture.supplyAsync(() -> pool.allocate(2 * BATCH, 60_000));
        awaitWaiter(pool);

        ByteBuffer fromCallback = pool.allocate(BATCH, 0); // max.block.ms 0: it must not wait at all
        assertEquals(BATCH, fromCallback.capacity());

        pool.deallocate(inFlight);
        assertFalse(large.isDone(), "half its bytes came back");
        pool.deallocate(fromCallback);
        assertEquals(2 * BATCH, large.get(10, TimeUnit.SECONDS).capacity());
        assertEquals(0, pool.availableMemory());
    }

    @Test
    void aWaiterThatGivesUpAfterBeingFedHandsTheMemoryToTheNext() throws Exception {
        // Waiters re-read the clock only every hour here: the next waiter must be woken, not find out by itself.
        BufferPool pool = new BufferPool(2L * BATCH, BATCH, BATCH, time, TimeUnit.HOURS.toNanos(1));
        ByteBuffer a = pool.allocate(BATCH, 0);
        pool.allocate(BATCH, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                pool.allocate(BATCH, 60_000);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        first.start();
        awaitWaiter(pool);
        CompletableFuture<ByteBuffer> second = CompletableFuture.supplyAsync(() -> pool.allocate(BATCH, 60_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.waiters() < 2) {
            assertTrue(System.nanoTime() < deadline, "the second allocation never started waiting");
            Thread.onSpinWait();
        }
        // The first waiter is interrupted and the buffer comes back before it can run again: it wakes with memory
        // it may not keep.
        ReentrantLock lock = poolLock(pool);
        lock.lock();
        try {
            first.interrupt();
            while (!lock.hasQueuedThread(first)) {
                assertTrue(System.nanoTime() < deadline, "the interrupted waiter never woke");
                Thread.onSpinWait();
            }
            pool.deallocate(a);
        } finally {
            lock.unlock();
        }
        first.join(10_000);
        assertInstanceOf(InterruptException.class, failure.get());
        assertSame(a, second.get(10, TimeUnit.SECONDS), "the second waiter was woken with the buffer");
    }

    private static ReentrantLock poolLock(BufferPool pool) throws ReflectiveOperationException {
        Field field = BufferPool.class.getDeclaredField("lock");
        field.setAccessible(true);
        return (ReentrantLock) field.get(pool);
    }
}
