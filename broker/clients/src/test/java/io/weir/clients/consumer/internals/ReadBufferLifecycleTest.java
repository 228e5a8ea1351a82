package io.weir.clients.consumer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.internals.FakeBroker;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.record.CompressionType;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.Deserializer;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The consumer's pooled read buffers, against a scripted broker that reads into whatever buffers it is lent, as the
 * embedded broker does: an array goes back only once every record read from it was converted (or its fetch was
 * dropped), the records handed out own their bytes, and a deserializer that could keep a view of the bytes gets
 * fresh memory every fetch.
 */
class ReadBufferLifecycleTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final FakeBroker broker = new FakeBroker();
    private final List<ByteBuffer> log = new ArrayList<>();
    /** The array each lent-buffer fetch answer was read into, in order. */
    private final List<byte[]> readInto = new ArrayList<>();

    private long logEnd;

    ReadBufferLifecycleTest() {
        broker.onFetch = r -> CompletableFuture.completedFuture(answer(r, ReadBuffers.HEAP));
        broker.onFetchInto = (r, buffers) -> CompletableFuture.completedFuture(answer(r, buffers));
    }

    private FetchResponse answer(FetchRequest r, ReadBuffers buffers) {
        var out = new LinkedHashMap<TopicPartition, FetchResponse.PartitionData>();
        r.partitions().forEach((tp, pf) -> {
            int size = 0;
            for (ByteBuffer b : log) {
                if (RecordBatch.wrap(b).nextOffset() > pf.fetchOffset()) {
                    size += b.remaining();
                }
            }
            // Like the broker: nothing to read allocates nothing.
            ByteBuffer bytes = size == 0 ? ByteBuffer.allocate(0) : buffers.allocate(size);
            for (ByteBuffer b : log) {
                if (RecordBatch.wrap(b).nextOffset() > pf.fetchOffset()) {
                    bytes.put(b.duplicate());
                }
            }
            bytes.flip();
            if (buffers != ReadBuffers.HEAP && size > 0) {
                readInto.add(bytes.array());
            }
            out.put(tp, new FetchResponse.PartitionData(ApiError.NONE, logEnd, logEnd, 0, bytes, List.of()));
        });
        return new FetchResponse(out);
    }

    private void appendBatch(String... values) {
        RecordBatchBuilder b = new RecordBatchBuilder(CompressionType.NONE, -1, (short) -1, -1, false);
        for (String v : values) {
            b.append(1000L, null, v.getBytes(StandardCharsets.UTF_8), null);
        }
        ByteBuffer batch = b.build();
        RecordBatch.wrap(batch).setBaseOffset(logEnd);
        logEnd = RecordBatch.wrap(batch).nextOffset();
        log.add(batch);
    }

    private <V> ConsumerImpl<byte[], V> consumer(Deserializer<V> values) {
        ConsumerImpl<byte[], V> consumer = new ConsumerImpl<>(
                ConsumerConfig.builder()
                        .bootstrapServers("embedded:fake")
                        .fetchMaxWaitMs(10)
                        .maxPollRecords(2)
                        .build(),
                new ByteArrayDeserializer(),
                values,
                broker,
                Time.SYSTEM);
        consumer.assign(List.of(TP));
        consumer.seek(TP, 0);
        return consumer;
    }

    /** Polls until {@code count} records came back (each poll returns at most max.poll.records = 2). */
    private static <V> List<ConsumerRecord<byte[], V>> poll(ConsumerImpl<byte[], V> consumer, int count) {
        List<ConsumerRecord<byte[], V>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        }
        assertEquals(count, out.size(), "records polled within 10 s");
        return out;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aReadBufferGoesBackOnlyOnceEveryRecordReadFromItWasConvertedAndTheRecordsKeepTheirBytes() {
        appendBatch("a", "b", "c");
        try (var consumer = consumer(new ByteArrayDeserializer())) {
            assertTrue(consumer.fetcher().poolsReadBuffers());
            List<ConsumerRecord<byte[], byte[]>> first = poll(consumer, 2);
            assertEquals(1, readInto.size());
            assertEquals(0, consumer.fetcher().freeReadBuffers(), "\"c\" is still to be read from it");

            List<ConsumerRecord<byte[], byte[]>> second = poll(consumer, 1);
            assertEquals("c", text(second.get(0).value()));
            assertEquals(1, consumer.fetcher().freeReadBuffers(), "used up: back in the pool");

            log.clear(); // the next answer overwrites the array with other bytes
            appendBatch("xxxxx", "yyyyy");
            List<ConsumerRecord<byte[], byte[]>> third = poll(consumer, 2);
            assertEquals(2, readInto.size());
            assertSame(readInto.get(0), readInto.get(1), "the next fetch read into the same array");
            assertEquals("xxxxx", text(third.get(0).value()));
            assertEquals(
                    List.of("a", "b", "c"),
                    List.of(
                            text(first.get(0).value()),
                            text(first.get(1).value()),
                            text(second.get(0).value())),
                    "records handed out earlier own their bytes");
        }
    }

    @Test
    void aSeekDropsTheBufferedFetchAndGivesItsBufferBack() {
        appendBatch("a", "b", "c");
        try (var consumer = consumer(new ByteArrayDeserializer())) {
            poll(consumer, 2);
            assertEquals(0, consumer.fetcher().freeReadBuffers());
            consumer.seek(TP, 0);
            assertEquals(1, consumer.fetcher().freeReadBuffers(), "the dropped fetch's buffer is back");
            List<ConsumerRecord<byte[], byte[]>> again = poll(consumer, 2);
            assertEquals("a", text(again.get(0).value()));
            assertSame(readInto.get(0), readInto.get(1));
        }
    }

    @Test
    void aDeserializerThatMayKeepAViewOfTheBytesGetsFreshMemoryEveryFetch() {
        Deserializer<ByteBuffer> views = new Deserializer<>() {
            @Override
            public ByteBuffer deserialize(String topic, byte[] data) {
                return ByteBuffer.wrap(data);
            }

            @Override
            public ByteBuffer deserialize(String topic, ByteBuffer data) {
                return data; // a view of the fetched bytes, kept by the record
            }
        };
        appendBatch("a", "b");
        try (var consumer = consumer(views)) {
            assertFalse(consumer.fetcher().poolsReadBuffers());
            List<ConsumerRecord<byte[], ByteBuffer>> first = poll(consumer, 2);
            log.clear();
            appendBatch("x", "y");
            poll(consumer, 2);
            assertTrue(readInto.isEmpty(), "no buffers were lent");
            assertEquals(
                    "a",
                    StandardCharsets.UTF_8
                            .decode(first.get(0).value().duplicate())
                            .toString());
        }
    }

    @Test
    void onlyArraysLentForTheAnswerAreClaimedAndADiscardedReadsArrayIsNeverLentAgain() {
        ReadBufferPool pool = new ReadBufferPool(1 << 20, 1 << 16);
        ReadBufferPool.Lease lease = pool.lease();
        ByteBuffer discarded = lease.allocate(100); // a read the broker threw away: it may still write it
        ByteBuffer answered = lease.allocate(100);
        assertNotSame(discarded.array(), answered.array());
        assertEquals(100, answered.remaining());
        assertEquals(null, lease.claim(ByteBuffer.allocate(100)), "not lent by this lease");
        assertEquals(null, pool.lease().claim(answered), "lent for another fetch");
        byte[] claimed = lease.claim(answered.slice(10, 50));
        assertSame(answered.array(), claimed, "a slice of a lent buffer is claimed as its array");
        assertEquals(null, lease.claim(answered), "claimed once");
        pool.give(claimed);
        for (int i = 0; i < 4; i++) {
            assertNotSame(discarded.array(), pool.lease().allocate(100).array());
        }
    }

    @Test
    void aReadTheBrokerDiscardedUnseenIsLentAgainOnceGivenBack() {
        ReadBufferPool pool = new ReadBufferPool(1 << 20, 1 << 16);
        ReadBufferPool.Lease lease = pool.lease();
        ByteBuffer reRead = lease.allocate(100); // a long poll's re-read below fetch.min.bytes
        pool.lease().discard(reRead);
        lease.discard(ByteBuffer.allocate(100));
        assertEquals(0, pool.freeArrays(), "only the lease that lent an array gives it back");
        lease.discard(reRead.slice(10, 50));
        lease.discard(reRead);
        assertEquals(1, pool.freeArrays(), "given back once");
        assertEquals(null, lease.claim(reRead), "no longer the lease's to claim");
        assertSame(reRead.array(), lease.allocate(100).array(), "the next read reuses it");
    }

    @Test
    void takesTheSmallestFreeArrayThatFitsAndKeepsNeitherOversizedArraysNorMoreThanTheBudget() {
        ReadBufferPool pool = new ReadBufferPool(3 * 8192, 8192);
        ReadBufferPool.Lease lease = pool.lease();
        byte[] small = lease.claim(lease.allocate(100));
        byte[] large = lease.claim(lease.allocate(5000));
        byte[] oversized = lease.claim(lease.allocate(20_000));
        assertEquals(ReadBufferPool.MIN_BYTES, small.length);
        assertEquals(8192, large.length);
        assertEquals(20_000, oversized.length);
        pool.give(oversized);
        pool.give(large);
        pool.give(small);
        assertEquals(2, pool.freeArrays(), "the oversized one is dropped");
        assertSame(small, pool.lease().allocate(4000).array());
        assertSame(large, pool.lease().allocate(10).array(), "the only one left");
        pool.give(new byte[8192]);
        pool.give(new byte[8192]);
        pool.give(new byte[8192]);
        pool.give(new byte[8192]);
        assertEquals(3, pool.freeArrays(), "no more than 3 * 8192 bytes kept");
    }

    @Test
    void aConsumerKeepsAFewMegabytesOfFreeArraysNotFetchMaxBytes() {
        int mib = 1 << 20;
        ReadBufferPool defaults = ReadBufferPool.forConsumer(50L * mib, mib); // fetch.max.bytes, max.partition...
        for (int i = 0; i < 10; i++) {
            defaults.give(new byte[mib]);
        }
        assertEquals(4, defaults.freeArrays(), "4 MiB kept, not 50 MiB");

        ReadBufferPool largePartitions = ReadBufferPool.forConsumer(50L * mib, 8 * mib);
        for (int i = 0; i < 3; i++) {
            largePartitions.give(new byte[8 * mib]);
        }
        assertEquals(2, largePartitions.freeArrays(), "two of the largest arrays, so two pipelined fetches reuse");

        ReadBufferPool smallFetches = ReadBufferPool.forConsumer(2 * mib, mib);
        for (int i = 0; i < 3; i++) {
            smallFetches.give(new byte[mib]);
        }
        assertEquals(2, smallFetches.freeArrays(), "never more than fetch.max.bytes");
    }
}
