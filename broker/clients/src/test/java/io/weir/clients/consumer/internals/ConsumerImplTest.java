package io.weir.clients.consumer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.clients.internals.FakeBroker;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.NoOffsetForPartitionException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.RecordDeserializationException;
import io.weir.common.errors.WakeupException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.record.CompressionType;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Consumer logic against a scripted broker whose log is a list of batches built here. */
class ConsumerImplTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final FakeBroker broker = new FakeBroker();
    /** The partition's log: batches with base offsets stamped, as the broker would return them. */
    private final List<ByteBuffer> log = new ArrayList<>();

    private long logEnd;

    ConsumerImplTest() {
        broker.onListOffsets = r -> {
            var out = new java.util.HashMap<TopicPartition, ListOffsetsResponse.PartitionOffset>();
            r.timestamps()
                    .forEach((tp, ts) -> out.put(
                            tp,
                            new ListOffsetsResponse.PartitionOffset(
                                    ApiError.NONE, ts == ListOffsetsRequest.EARLIEST ? 0 : logEnd, -1)));
            return CompletableFuture.completedFuture(new ListOffsetsResponse(out));
        };
        broker.onFetch = r -> CompletableFuture.completedFuture(answer(r));
    }

    /** Whole batches that contain or follow the fetch offset, like the broker. */
    private FetchResponse answer(FetchRequest r) {
        var out = new java.util.LinkedHashMap<TopicPartition, FetchResponse.PartitionData>(); // request order
        r.partitions().forEach((tp, pf) -> {
            if (pf.fetchOffset() > logEnd) {
                out.put(
                        tp,
                        FetchResponse.PartitionData.error(new ApiError(Errors.OFFSET_OUT_OF_RANGE, "out of range")));
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate(1 << 20);
            for (ByteBuffer b : log) {
                if (RecordBatch.wrap(b).nextOffset() > pf.fetchOffset()) {
                    bytes.put(b.duplicate());
                }
            }
            bytes.flip();
            out.put(tp, new FetchResponse.PartitionData(ApiError.NONE, logEnd, logEnd, 0, bytes, List.of()));
        });
        return new FetchResponse(out);
    }

    private void appendBatch(String... values) {
        RecordBatchBuilder b = new RecordBatchBuilder(CompressionType.NONE, -1, (short) -1, -1, false);
        for (String v : values) {
            b.append(1000L, null, v.getBytes(StandardCharsets.UTF_8), null);
        }
        addToLog(b.build());
    }

    private void addToLog(ByteBuffer batch) {
        RecordBatch.wrap(batch).setBaseOffset(logEnd);
        logEnd = RecordBatch.wrap(batch).nextOffset();
        log.add(batch);
    }

    private ConsumerImpl<String, String> consumer(ConsumerConfig.Builder b) {
        return new ConsumerImpl<>(
                b.bootstrapServers("embedded:fake").fetchMaxWaitMs(10).build(),
                new StringDeserializer(),
                new StringDeserializer(),
                broker,
                Time.SYSTEM);
    }

    /** Fails on the value "bad" of topic {@code poisonedTopic}; other topics and values decode as strings. */
    private static Deserializer<String> failingOn(String poisonedTopic) {
        return (topic, data) -> {
            String s = new StringDeserializer().deserialize(topic, data);
            if (topic.equals(poisonedTopic) && "bad".equals(s)) {
                throw new IllegalArgumentException("cannot decode " + s);
            }
            return s;
        };
    }

    private ConsumerImpl<String, String> consumer(ConsumerConfig.Builder b, Deserializer<String> valueDeserializer) {
        return new ConsumerImpl<>(
                b.bootstrapServers("embedded:fake").fetchMaxWaitMs(10).build(),
                new StringDeserializer(),
                valueDeserializer,
                broker,
                Time.SYSTEM);
    }

    private static List<String> values(Iterable<ConsumerRecord<String, String>> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.value()));
        return out;
    }

    @Test
    void skipsRecordsOfABatchThatStartBeforeThePosition() {
        appendBatch("a", "b", "c", "d");
        var c = consumer(ConsumerConfig.builder());
        c.assign(List.of(TP));
        c.seek(TP, 2);
        ConsumerRecords<String, String> records = c.poll(Duration.ofSeconds(5));
        assertEquals(List.of("c", "d"), values(records));
        assertEquals(2, records.records(TP).get(0).offset());
        assertEquals(4, c.position(TP));
    }

    @Test
    void returnsAtMostMaxPollRecordsAndKeepsTheRestForTheNextPoll() {
        appendBatch("a", "b", "c", "d", "e");
        var c = consumer(ConsumerConfig.builder().maxPollRecords(2).autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));
        assertEquals(List.of("a", "b"), values(c.poll(Duration.ofSeconds(5))));
        assertEquals(2, c.position(TP));
        int fetches = broker.requestsOf(FetchRequest.class).size();
        assertEquals(List.of("c", "d"), values(c.poll(Duration.ofSeconds(5))));
        assertEquals(fetches, broker.requestsOf(FetchRequest.class).size(), "buffered records need no new fetch");
        assertEquals(List.of("e"), values(c.poll(Duration.ofSeconds(5))));
        assertEquals(5, c.position(TP));
    }

    @Test
    void autoOffsetResetLatestStartsAtTheEnd() {
        appendBatch("old");
        var c = consumer(ConsumerConfig.builder());
        c.assign(List.of(TP));
        assertEquals(1, c.position(TP));
        appendBatch("new");
        assertEquals(List.of("new"), values(c.poll(Duration.ofSeconds(5))));
    }

    @Test
    void autoOffsetResetNoneFailsNamingThePartition() {
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.NONE));
        c.assign(List.of(TP));
        var e = assertThrows(NoOffsetForPartitionException.class, () -> c.poll(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("t-0"), e.getMessage());
    }

    @Test
    void outOfRangePositionFailsWithNoneNamingPartitionAndOffset() {
        appendBatch("a");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.NONE));
        c.assign(List.of(TP));
        c.seek(TP, 42);
        var e = assertThrows(OffsetOutOfRangeException.class, () -> c.poll(Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("t-0") && e.getMessage().contains("42"), e.getMessage());
    }

    @Test
    void outOfRangePositionIsResetPerPolicy() {
        appendBatch("a", "b");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));
        c.seek(TP, 42);
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            seen.addAll(values(c.poll(Duration.ofMillis(100))));
        }
        assertEquals(List.of("a", "b"), seen);
    }

    @Test
    void controlBatchesAreNeverReturnedAndThePositionMovesPastThem() {
        appendBatch("a");
        addToLog(RecordBatchBuilder.controlBatch(ControlRecordType.COMMIT, 7L, (short) 0, 1000L, 0));
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));
        assertEquals(List.of("a"), values(c.poll(Duration.ofSeconds(5))));
        assertEquals(2, c.position(TP));
    }

    @Test
    void readCommittedDropsAbortedTransactionsBatches() {
        RecordBatchBuilder aborted = new RecordBatchBuilder(CompressionType.NONE, 7L, (short) 0, 0, true);
        aborted.append(1000L, null, "aborted".getBytes(StandardCharsets.UTF_8), null);
        addToLog(aborted.build());
        addToLog(RecordBatchBuilder.controlBatch(ControlRecordType.ABORT, 7L, (short) 0, 1000L, 0));
        appendBatch("kept");
        broker.onFetch = r -> {
            FetchResponse plain = answer(r);
            var data = plain.partitions().get(TP);
            return CompletableFuture.completedFuture(new FetchResponse(Map.of(
                    TP,
                    new FetchResponse.PartitionData(
                            data.error(),
                            data.highWatermark(),
                            data.lastStableOffset(),
                            0,
                            data.records(),
                            List.of(new FetchResponse.AbortedTransaction(7L, 0L))))));
        };
        var c = consumer(ConsumerConfig.builder()
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .isolationLevel(IsolationLevel.READ_COMMITTED));
        c.assign(List.of(TP));
        assertEquals(List.of("kept"), values(c.poll(Duration.ofSeconds(5))));
        assertEquals(3, c.position(TP));
        assertEquals(
                IsolationLevel.READ_COMMITTED,
                broker.requestsOf(FetchRequest.class).get(0).isolationLevel());
    }

    @Test
    void sendsTheNextFetchBeforeReturningRecords() {
        appendBatch("a");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));
        int before = broker.requestsOf(FetchRequest.class).size();
        assertEquals(1, c.poll(Duration.ofSeconds(5)).count());
        List<FetchRequest> fetches = broker.requestsOf(FetchRequest.class);
        assertEquals(before + 2, fetches.size(), "one fetch for the records, one already on its way for the next poll");
        assertEquals(1L, fetches.get(fetches.size() - 1).partitions().get(TP).fetchOffset());
    }

    @Test
    void pausedPartitionsAreNotFetched() {
        appendBatch("a");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));
        c.pause(List.of(TP));
        assertTrue(c.poll(Duration.ofMillis(20)).isEmpty());
        assertTrue(broker.requestsOf(FetchRequest.class).isEmpty());
        c.resume(List.of(TP));
        assertEquals(1, c.poll(Duration.ofSeconds(5)).count());
    }

    @Test
    void wakeupBeforePollMakesTheNextPollThrowOnce() {
        var c = consumer(ConsumerConfig.builder());
        c.assign(List.of(TP));
        c.wakeup();
        assertThrows(WakeupException.class, () -> c.poll(Duration.ofSeconds(5)));
        assertTrue(c.poll(Duration.ZERO).isEmpty());
    }

    @Test
    void wakeupEndsABlockedPoll() throws Exception {
        broker.onFetch = r -> new CompletableFuture<>(); // the broker never answers: a long poll
        var c = consumer(ConsumerConfig.builder());
        c.assign(List.of(TP));
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            polling.countDown();
            try {
                c.poll(Duration.ofMinutes(5));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(polling.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.requestsOf(FetchRequest.class).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "poll never fetched");
            Thread.onSpinWait();
        }
        c.wakeup();
        assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof WakeupException);
    }

    @Test
    void useFromASecondThreadWhileOneIsInsideIsRefused() throws Exception {
        broker.onFetch = r -> new CompletableFuture<>();
        var c = consumer(ConsumerConfig.builder());
        c.assign(List.of(TP));
        CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> {
            try {
                c.poll(Duration.ofMinutes(5));
            } catch (WakeupException expected) {
                // how the test ends it
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.requestsOf(FetchRequest.class).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "poll never fetched");
            Thread.onSpinWait();
        }
        var e = assertThrows(ConcurrentModificationException.class, () -> c.position(TP));
        assertTrue(e.getMessage().contains("not safe for multi-threaded access"), e.getMessage());
        c.wakeup();
        poller.get(10, TimeUnit.SECONDS);
        assertEquals(0, c.position(TP)); // free again once the poll returned
    }

    @Test
    void useAfterCloseIsRefused() {
        var c = consumer(ConsumerConfig.builder());
        c.close();
        c.close();
        assertThrows(IllegalClientStateException.class, () -> c.assign(List.of(TP)));
        assertThrows(IllegalClientStateException.class, () -> c.poll(Duration.ZERO));
    }

    @Test
    void subscribeWithoutGroupIdIsRefusedNamingTheKey() {
        var c = consumer(ConsumerConfig.builder());
        var e = assertThrows(io.weir.common.errors.InvalidGroupIdException.class, () -> c.subscribe(List.of("t")));
        assertTrue(e.getMessage().contains("group.id"), e.getMessage());
        var commit = assertThrows(io.weir.common.errors.InvalidGroupIdException.class, c::commitSync);
        assertTrue(commit.getMessage().contains("group.id"), commit.getMessage());
    }

    @Test
    void pollWithNeitherSubscriptionNorAssignmentIsRefused() {
        var c = consumer(ConsumerConfig.builder());
        var e = assertThrows(IllegalClientStateException.class, () -> c.poll(Duration.ZERO));
        assertTrue(e.getMessage().contains("subscribe") && e.getMessage().contains("assign"), e.getMessage());
    }

    @Test
    void recordsCarryOffsetsTimestampsAndSizes() {
        appendBatch("hello");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));
        ConsumerRecord<String, String> r =
                c.poll(Duration.ofSeconds(5)).iterator().next();
        assertEquals(0, r.offset());
        assertEquals(1000L, r.timestamp());
        assertEquals(-1, r.serializedKeySize());
        assertEquals(5, r.serializedValueSize());
        assertEquals(ConsumerRecord.TimestampType.CREATE_TIME, r.timestampType());
    }

    @Test
    void recordsCollectedBeforeADeserializationErrorAreReturnedAndTheErrorComesNext() {
        TopicPartition a = new TopicPartition("a", 0);
        TopicPartition b = new TopicPartition("b", 0);
        appendBatch("v0", "v1", "v2");
        appendBatch("bad", "v4");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST), failingOn("b"));
        c.assign(List.of(a, b)); // the fetch answers a before b, so a is drained first

        ConsumerRecords<String, String> first = c.poll(Duration.ofSeconds(5));
        assertEquals(List.of("v0", "v1", "v2", "bad", "v4"), values(first.records(a)));
        assertEquals(List.of("v0", "v1", "v2"), values(first.records(b)));
        assertEquals(5, c.position(a));
        assertEquals(3, c.position(b), "b stops at the record that failed");

        for (int attempt = 0; attempt < 2; attempt++) {
            var e = assertThrows(RecordDeserializationException.class, () -> c.poll(Duration.ofSeconds(5)));
            assertEquals(b, e.topicPartition());
            assertEquals(3, e.offset());
            assertTrue(
                    e.getMessage().contains("b-0")
                            && e.getMessage().contains("3")
                            && e.getMessage().contains("seek past"),
                    e.getMessage());
            assertEquals(3, c.position(b), "a failed poll does not move past the record");
        }

        c.seek(b, 4);
        assertEquals(List.of("v4"), values(c.poll(Duration.ofSeconds(5)).records(b)));
        assertEquals(5, c.position(b));
    }

    @Test
    void aDeserializationErrorMidFetchKeepsTheRecordsBeforeIt() {
        appendBatch("v0", "bad", "v2");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST), failingOn("t"));
        c.assign(List.of(TP));
        assertEquals(List.of("v0"), values(c.poll(Duration.ofSeconds(5))));
        assertEquals(1, c.position(TP));
        var e = assertThrows(RecordDeserializationException.class, () -> c.poll(Duration.ofSeconds(5)));
        assertEquals(1, e.offset());
        assertEquals(1, c.position(TP));
        c.seek(TP, e.offset() + 1);
        assertEquals(List.of("v2"), values(c.poll(Duration.ofSeconds(5))));
    }

    @Test
    void aCorruptBatchFailsEveryPollAtItsOffsetAfterTheRecordsBeforeIt() {
        appendBatch("v0", "v1");
        appendBatch("v2", "v3");
        ByteBuffer corrupt = log.get(1);
        int lastValueByte = corrupt.limit() - 2; // the record ends with its value, then a zero header count
        corrupt.put(lastValueByte, (byte) (corrupt.get(lastValueByte) ^ 0x01)); // the CRC no longer matches
        appendBatch("v4");
        var c = consumer(ConsumerConfig.builder().autoOffsetReset(OffsetResetStrategy.EARLIEST));
        c.assign(List.of(TP));

        assertEquals(List.of("v0", "v1"), values(c.poll(Duration.ofSeconds(5))));
        for (int attempt = 0; attempt < 2; attempt++) {
            var e = assertThrows(CorruptRecordException.class, () -> c.poll(Duration.ofSeconds(5)));
            assertTrue(
                    e.getMessage().contains("t-0")
                            && e.getMessage().contains("offset 2")
                            && e.getMessage().contains("seek past"),
                    e.getMessage());
            assertEquals(2, c.position(TP), "the corrupt batch is not skipped silently");
        }
        c.seek(TP, 4);
        assertEquals(List.of("v4"), values(c.poll(Duration.ofSeconds(5))));
    }

    @Test
    void aPartitionWhoseBufferRunsDryIsFetchedWhileALongPollWaitsOnAnother() {
        TopicPartition caughtUp = new TopicPartition("t", 1);
        appendBatch("a", "b");
        // TP has data; "t-1" is empty, so a fetch for it alone parks on the broker (never answered here).
        broker.onFetch = r -> {
            if (!r.partitions().containsKey(TP)) {
                return new CompletableFuture<>();
            }
            var out = new java.util.LinkedHashMap<>(answer(r).partitions());
            out.computeIfPresent(
                    caughtUp,
                    (tp, d) ->
                            new FetchResponse.PartitionData(ApiError.NONE, 0, 0, 0, ByteBuffer.allocate(0), List.of()));
            return CompletableFuture.completedFuture(new FetchResponse(out));
        };
        var c = consumer(ConsumerConfig.builder()
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .maxPollRecords(1));
        c.assign(List.of(caughtUp, TP)); // t-1's empty answer is drained first, so it is fetched alone next
        c.seek(caughtUp, 0);
        assertEquals(
                "a",
                c.poll(Duration.ofSeconds(5)).iterator().next().value()); // "b" stays buffered; t-1 long-polls alone
        assertEquals("b", c.poll(Duration.ofSeconds(5)).iterator().next().value());
        appendBatch("c");
        // The long poll for t-1 is still out and TP's buffer is empty: TP must get a fetch of its own now.
        assertEquals("c", c.poll(Duration.ofSeconds(5)).iterator().next().value());
        assertTrue(broker.requestsOf(FetchRequest.class).stream()
                .anyMatch(r -> r.partitions().keySet().equals(java.util.Set.of(caughtUp))));
    }
}
