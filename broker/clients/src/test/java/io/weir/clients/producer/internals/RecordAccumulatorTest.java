package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.utils.MockTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordAccumulatorTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Header[] NONE = new Header[0];
    private final MockTime time = new MockTime();

    private RecordAccumulator accumulator(int batchSize, long lingerMs, long bufferMemory) {
        return new RecordAccumulator(
                CompressionType.NONE,
                batchSize,
                lingerMs,
                100,
                120_000,
                new BufferPool(bufferMemory, batchSize, time),
                time);
    }

    private static FutureRecordMetadata append(RecordAccumulator acc, int batchLimit, long maxBlockMs) {
        byte[] value = new byte[100];
        return acc.append(
                TP,
                1L,
                null,
                value,
                NONE,
                null,
                maxBlockMs,
                batchLimit,
                RecordSizes.singleRecordBatchSize(null, value, NONE));
    }

    @Test
    void fillsABatchUpToBatchSizeThenOpensTheNext() {
        RecordAccumulator acc = accumulator(1024, 1000, 1 << 20);
        FutureRecordMetadata first = append(acc, 1024, 0);
        assertTrue(first.newBatchCreated());
        int appended = 1;
        FutureRecordMetadata r;
        while (!(r = append(acc, 1024, 0)).newBatchCreated()) {
            appended++;
        }
        assertFalse(r.batchIsFull(), "the new batch has room; opening it (newBatchCreated) is what wakes the sender");
        assertFalse(
                append(acc, 1024, 0).batchIsFull(),
                "an append behind a queued batch does not ask for a wake-up: the batch's opening did");
        // 100-byte values take ~106 bytes each after the 61-byte header; the builder's bound is conservative.
        assertTrue(appended == 8 || appended == 9, "appended " + appended);
        RecordAccumulator.ReadyCheck ready = acc.ready(time.nanoseconds());
        assertEquals(List.of(TP), ready.partitions());
        Map<TopicPartition, ProducerBatch> drained =
                acc.drain(ready.partitions(), 1 << 20, time.nanoseconds(), RecordAccumulator.DrainGate.OPEN);
        RecordBatch batch = RecordBatch.wrap(drained.get(TP).bytes());
        assertEquals(appended, batch.recordCount());
        assertTrue(batch.sizeInBytes() <= 1024);
    }

    @Test
    void aBatchBecomesReadyOnlyOnceItHasLingered() {
        RecordAccumulator acc = accumulator(16_384, 50, 1 << 20);
        append(acc, 16_384, 0);
        RecordAccumulator.ReadyCheck early = acc.ready(time.nanoseconds());
        assertTrue(early.partitions().isEmpty());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(50), early.nextCheckDelayNanos());
        time.sleep(49);
        assertTrue(acc.ready(time.nanoseconds()).partitions().isEmpty());
        time.sleep(1);
        assertEquals(List.of(TP), acc.ready(time.nanoseconds()).partitions());
    }

    @Test
    void flushMakesALingeringBatchReadyAtOnce() {
        RecordAccumulator acc = accumulator(16_384, 60_000, 1 << 20);
        append(acc, 16_384, 0);
        acc.beginFlush();
        assertEquals(List.of(TP), acc.ready(time.nanoseconds()).partitions());
    }

    @Test
    void blocksForBufferMemoryThenTimesOutNamingTheSizes() {
        RecordAccumulator acc = accumulator(1024, 0, 1024);
        append(acc, 1024, 0);
        // The next batch needs another 1024 bytes of a 1024-byte buffer.memory; nothing frees it.
        byte[] big = new byte[900];
        CompletableFuture<FutureRecordMetadata> blocked = CompletableFuture.supplyAsync(() -> acc.append(
                TP, 1L, null, big, NONE, null, 20, 1024, RecordSizes.singleRecordBatchSize(null, big, NONE)));
        awaitWaiter(acc);
        time.sleep(20); // max.block.ms passes on the injected clock
        java.util.concurrent.ExecutionException failed =
                assertThrows(java.util.concurrent.ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        TimeoutException e = (TimeoutException) failed.getCause();
        assertTrue(e.getMessage().contains("1024") && e.getMessage().contains("max.block.ms=20"), e.getMessage());
    }

    @Test
    void aBlockedAppendProceedsWhenACompletedBatchReturnsItsMemory() throws Exception {
        RecordAccumulator acc = accumulator(1024, 0, 1024);
        append(acc, 1024, 0);
        ProducerBatch first = acc.drain(
                        acc.ready(time.nanoseconds()).partitions(),
                        1 << 20,
                        time.nanoseconds(),
                        RecordAccumulator.DrainGate.OPEN)
                .get(TP);
        CompletableFuture<FutureRecordMetadata> blocked =
                CompletableFuture.supplyAsync(() -> append(acc, 1024, 60_000));
        // The memory shortage is visible to the sender, which sends early because of it.
        awaitWaiter(acc);
        assertFalse(blocked.isDone());
        first.complete(0, -1, null);
        acc.completed(first);
        acc.returnBuffer(first, true);
        assertTrue(blocked.get(10, TimeUnit.SECONDS).newBatchCreated());
    }

    private static void awaitWaiter(RecordAccumulator acc) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (acc.pool().waiters() == 0) {
            assertTrue(System.nanoTime() < deadline, "append never started waiting for memory");
            Thread.onSpinWait();
        }
    }

    @Test
    void refusesAppendsOnceClosed() {
        RecordAccumulator acc = accumulator(1024, 0, 1 << 20);
        acc.close();
        assertThrows(IllegalClientStateException.class, () -> append(acc, 1024, 0));
    }

    @Test
    void expiresBatchesPastTheDeliveryTimeout() {
        RecordAccumulator acc = accumulator(1024, 0, 1 << 20);
        append(acc, 1024, 0);
        time.sleep(119_999);
        assertTrue(acc.expired(time.nanoseconds()).isEmpty());
        time.sleep(1);
        assertEquals(1, acc.expired(time.nanoseconds()).size());
    }

    @Test
    void successiveDrainsRotateSoEveryReadyPartitionIsServed() {
        RecordAccumulator acc = accumulator(1024, 0, 1 << 20);
        int partitions = 8;
        byte[] value = new byte[1000]; // larger than a 1024-byte batch can hold beside a header: one record per batch
        int recordBatchSize = RecordSizes.singleRecordBatchSize(null, value, NONE);
        for (int p = 0; p < partitions; p++) {
            for (int b = 0; b < partitions; b++) { // enough that every partition stays ready however drains go
                acc.append(new TopicPartition("t", p), 1L, null, value, NONE, null, 0, 1024, recordBatchSize);
            }
        }
        int maxRequestSize = 3 * recordBatchSize + recordBatchSize / 2;
        java.util.Set<TopicPartition> served = new java.util.HashSet<>();
        int drains = 0;
        while (served.size() < partitions && drains < partitions) {
            RecordAccumulator.ReadyCheck ready = acc.ready(time.nanoseconds());
            assertEquals(partitions, ready.partitions().size(), "every partition still has a batch waiting");
            Map<TopicPartition, ProducerBatch> drained =
                    acc.drain(ready.partitions(), maxRequestSize, time.nanoseconds(), RecordAccumulator.DrainGate.OPEN);
            assertEquals(3, drained.size(), "three batches fit in a request");
            served.addAll(drained.keySet());
            drains++;
        }
        assertEquals(partitions, served.size(), "served after " + drains + " drains: " + served);
        assertEquals(3, drains, "eight partitions, three per request: three drains serve them all");
    }
}
