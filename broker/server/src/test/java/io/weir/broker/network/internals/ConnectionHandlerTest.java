package io.weir.broker.network.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.utils.Time;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

/** One connection's answer queue, driven on an embedded channel over a scripted broker. */
class ConnectionHandlerTest {
    private static final short PRODUCE_V = 9;

    /** A broker whose produce answers with {@code produce}; every other call is unexpected. */
    static BrokerApi broker(Supplier<CompletableFuture<ProduceResponse>> produce) {
        return broker(produce, () -> {
            throw new UnsupportedOperationException("fetch");
        });
    }

    /** A broker whose produce and fetch answer with the given suppliers; every other call is unexpected. */
    static BrokerApi broker(
            Supplier<CompletableFuture<ProduceResponse>> produce, Supplier<CompletableFuture<FetchResponse>> fetch) {
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "produce":
                            return produce.get();
                        case "fetch":
                            return fetch.get();
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    static EmbeddedChannel channel(BrokerApi broker) {
        return channel(broker, 600_000L);
    }

    static EmbeddedChannel channel(BrokerApi broker, long maxIdleMs) {
        return channel(broker, maxIdleMs, QueuedRequests.unbounded());
    }

    static EmbeddedChannel channel(BrokerApi broker, long maxIdleMs, QueuedRequests queued) {
        return new EmbeddedChannel(new ConnectionHandler(
                new KafkaApis(broker, () -> null, 1 << 20, new FetchSessionCache(0, Time.SYSTEM, () -> 1)),
                queued,
                Runnable::run,
                64 << 20,
                maxIdleMs));
    }

    static ProduceResponse produced() {
        return new ProduceResponse(Map.of(
                new io.weir.common.TopicPartition("t", 0),
                new ProduceResponse.PartitionResponse(ApiError.NONE, 0, -1, 0)));
    }

    static FetchResponse fetched() {
        return new FetchResponse(Map.of());
    }

    static ByteBuf fetch(int correlationId) {
        FetchRequestData body = new FetchRequestData()
                .setMaxWaitMs(500)
                .setMaxBytes(1 << 20)
                .setSessionEpoch(-1)
                .setReplicaId(-1);
        body.topics()
                .add(new FetchRequestData.FetchTopic()
                        .setTopic("t")
                        .setPartitions(java.util.List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20))));
        return frame(ApiKeys.FETCH, (short) 12, correlationId, body);
    }

    /** A produce request carrying one record of {@code valueBytes}. */
    static ByteBuf produce(int correlationId, int valueBytes) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[valueBytes]));
        ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        body.topicData()
                .add(new ProduceRequestData.TopicProduceData()
                        .setName("t")
                        .setPartitionData(java.util.List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(0)
                                .setRecords(records))));
        return frame(ApiKeys.PRODUCE, PRODUCE_V, correlationId, body);
    }

    /** A request frame without its size prefix, as the frame decoder hands it on. */
    static ByteBuf frame(ApiKeys key, short version, int correlationId, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, "test", correlationId);
        ByteBuffer h = MessageUtil.toByteBufferAccessor(header.data(), header.headerVersion())
                .buffer();
        ByteBuffer b = MessageUtil.toByteBufferAccessor(body, version).buffer();
        return Unpooled.wrappedBuffer(h, b);
    }

    static ByteBuf produce(int correlationId, short acks) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
        ProduceRequestData body = new ProduceRequestData().setAcks(acks).setTimeoutMs(1000);
        body.topicData()
                .add(new ProduceRequestData.TopicProduceData()
                        .setName("t")
                        .setPartitionData(java.util.List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(0)
                                .setRecords(records))));
        return frame(ApiKeys.PRODUCE, PRODUCE_V, correlationId, body);
    }

    static ByteBuf apiVersions(int correlationId) {
        return frame(
                ApiKeys.API_VERSIONS,
                (short) 3,
                correlationId,
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
    }

    /** The correlation id of an answer written to the channel. */
    static int correlationIdOf(ByteBuf answer) {
        try {
            ByteBuffer nio = answer.nioBuffer();
            nio.getInt(); // size prefix
            return ResponseHeader.parse(nio, (short) 0).correlationId();
        } finally {
            answer.release();
        }
    }

    @Test
    void acksZeroProduceGetsNoAnswerAndLaterRequestsStillDo() {
        EmbeddedChannel ch = channel(broker(() -> CompletableFuture.completedFuture(new ProduceResponse(Map.of(
                new io.weir.common.TopicPartition("t", 0),
                new ProduceResponse.PartitionResponse(ApiError.NONE, 0, -1, 0))))));
        ch.writeInbound(produce(1, (short) 0));
        ch.writeInbound(apiVersions(2));
        ByteBuf first = ch.readOutbound();
        assertEquals(2, correlationIdOf(first), "the acks=0 produce must not be answered");
        assertNull(ch.readOutbound());
        assertTrue(ch.isOpen());
    }

    @Test
    void acksZeroProduceThatFailsInTheBrokerClosesTheConnection() {
        EmbeddedChannel ch =
                channel(broker(() -> CompletableFuture.failedFuture(new IllegalStateException("broker closing"))));
        ch.writeInbound(produce(1, (short) 0));
        ch.runPendingTasks();
        assertFalse(ch.isOpen(), "Kafka closes the connection when an acks=0 produce fails");
    }

    @Test
    void acksZeroProduceWithAPartitionErrorClosesTheConnection() {
        EmbeddedChannel ch = channel(broker(() -> CompletableFuture.completedFuture(new ProduceResponse(Map.of(
                new io.weir.common.TopicPartition("t", 0),
                new ProduceResponse.PartitionResponse(
                        new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "no such topic"), -1, -1, -1))))));
        ch.writeInbound(produce(1, (short) 0));
        ch.runPendingTasks();
        assertFalse(ch.isOpen(), "the producer must learn to refresh its metadata");
    }

    @Test
    void aFailedProduceWithAcksStillLetsLaterAnswersThrough() {
        CompletableFuture<ProduceResponse> slow = new CompletableFuture<>();
        EmbeddedChannel ch = channel(broker(() -> slow));
        ch.writeInbound(produce(1, (short) 1));
        ch.writeInbound(apiVersions(2));
        assertNull(ch.readOutbound(), "answers leave in request order");
        slow.completeExceptionally(new IllegalStateException("boom"));
        ch.runPendingTasks();
        assertEquals(1, correlationIdOf(ch.readOutbound()));
        assertEquals(2, correlationIdOf(ch.readOutbound()));
        assertTrue(ch.isOpen());
    }

    @Test
    void aFetchWaitsUntilTheEarlierFetchIsAnsweredAndWritten() {
        ArrayDeque<CompletableFuture<FetchResponse>> fetches = new ArrayDeque<>();
        EmbeddedChannel ch = channel(broker(() -> CompletableFuture.completedFuture(produced()), () -> {
            CompletableFuture<FetchResponse> f = new CompletableFuture<>();
            fetches.add(f);
            return f;
        }));
        ch.writeInbound(fetch(1));
        ch.writeInbound(fetch(2));
        assertEquals(1, fetches.size(), "one Fetch answer at a time may be held for a connection");
        assertFalse(ch.config().isAutoRead(), "a request waiting to be handed over stops reading");
        fetches.poll().complete(fetched());
        ch.runPendingTasks();
        assertEquals(1, correlationIdOf(ch.readOutbound()));
        assertEquals(1, fetches.size(), "the second Fetch goes once the first answer is written");
        fetches.poll().complete(fetched());
        ch.runPendingTasks();
        assertEquals(2, correlationIdOf(ch.readOutbound()));
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void requestsBehindAWaitingFetchWaitInOrder() {
        AtomicInteger produces = new AtomicInteger();
        ArrayDeque<CompletableFuture<FetchResponse>> fetches = new ArrayDeque<>();
        EmbeddedChannel ch = channel(broker(
                () -> {
                    produces.incrementAndGet();
                    return CompletableFuture.completedFuture(produced());
                },
                () -> {
                    CompletableFuture<FetchResponse> f = new CompletableFuture<>();
                    fetches.add(f);
                    return f;
                }));
        ch.writeInbound(fetch(1));
        ch.writeInbound(fetch(2));
        ch.writeInbound(produce(3, (short) 1));
        assertEquals(0, produces.get(), "the broker sees requests in the order they were sent");
        fetches.poll().complete(fetched());
        ch.runPendingTasks();
        assertEquals(1, produces.get());
        fetches.poll().complete(fetched());
        ch.runPendingTasks();
        assertEquals(1, correlationIdOf(ch.readOutbound()));
        assertEquals(2, correlationIdOf(ch.readOutbound()));
        assertEquals(3, correlationIdOf(ch.readOutbound()));
    }

    @Test
    void nothingIsHandedToTheBrokerWhileTheSocketIsUnwritable() {
        AtomicInteger produces = new AtomicInteger();
        EmbeddedChannel ch = channel(broker(() -> {
            produces.incrementAndGet();
            return CompletableFuture.completedFuture(produced());
        }));
        // As a slow reader leaves it: the outbound buffer over its high watermark.
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ch.writeInbound(produce(1, (short) 1));
        assertEquals(0, produces.get());
        assertFalse(ch.config().isAutoRead(), "a connection that cannot take answers stops reading");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertEquals(1, produces.get());
        assertEquals(1, correlationIdOf(ch.readOutbound()));
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void queuedRequestBytesOverTheListenerWideBoundStopEveryConnectionReadingUntilAnswered() {
        QueuedRequests queued = new QueuedRequests(500, 10_000);
        ArrayDeque<CompletableFuture<ProduceResponse>> produces = new ArrayDeque<>();
        BrokerApi broker = broker(() -> {
            CompletableFuture<ProduceResponse> f = new CompletableFuture<>();
            produces.add(f);
            return f;
        });
        EmbeddedChannel producer = channel(broker, 600_000L, queued);
        EmbeddedChannel bystander = channel(broker, 600_000L, queued);

        producer.writeInbound(produce(1, 20_000));
        assertTrue(queued.full());
        assertFalse(producer.config().isAutoRead(), "over queued.max.request.bytes: no more reading");
        bystander.writeInbound(apiVersions(2));
        assertFalse(bystander.config().isAutoRead(), "the bound is the listener's, not one connection's");
        assertEquals(2, correlationIdOf(bystander.readOutbound()), "what was read is still answered");

        produces.poll().complete(produced());
        producer.runPendingTasks();
        bystander.runPendingTasks();
        assertEquals(1, correlationIdOf(producer.readOutbound()));
        assertEquals(0, queued.bytes());
        assertTrue(producer.config().isAutoRead());
        assertTrue(bystander.config().isAutoRead(), "every connection reads again once the bound eases");
    }

    @Test
    void aRequestTheBrokerHoldsNoLongerCountsAgainstQueuedMaxRequests() {
        QueuedRequests queued = new QueuedRequests(1, -1);
        ArrayDeque<CompletableFuture<FetchResponse>> fetches = new ArrayDeque<>();
        BrokerApi broker = broker(() -> CompletableFuture.completedFuture(produced()), () -> {
            CompletableFuture<FetchResponse> f = new CompletableFuture<>();
            fetches.add(f);
            return f;
        });
        EmbeddedChannel consumer = channel(broker, 600_000L, queued);
        consumer.writeInbound(fetch(1));
        assertEquals(1, fetches.size());
        assertEquals(0, queued.requests(), "a long poll handed to the broker is not queued any more");
        assertEquals(0, queued.bytes(), "nor are its bytes: only a Produce's batches stay referenced");
        assertTrue(consumer.config().isAutoRead());

        consumer.writeInbound(fetch(2)); // waits for the first Fetch's answer: queued
        assertTrue(queued.full());
        EmbeddedChannel other = channel(broker, 600_000L, queued);
        other.writeInbound(produce(3, (short) 1));
        assertFalse(other.config().isAutoRead(), "queued.max.requests=1 reached");

        fetches.poll().complete(fetched());
        consumer.runPendingTasks();
        other.runPendingTasks();
        assertEquals(0, queued.requests());
        assertTrue(other.config().isAutoRead());
        consumer.close();
        other.close();
        assertEquals(0, queued.bytes(), "closed connections give back what they held");
    }

    @Test
    void aConnectionClosedWithRequestsNotHandedOverGivesBackItsShareOfTheBound() {
        QueuedRequests queued = new QueuedRequests(500, 1 << 20);
        EmbeddedChannel ch = channel(broker(CompletableFuture::new), 600_000L, queued);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // nothing is handed over
        ch.writeInbound(produce(1, 1000));
        assertTrue(queued.bytes() > 1000);
        assertEquals(1, queued.requests());
        ch.close();
        assertEquals(0, queued.bytes());
        assertEquals(0, queued.requests());
    }

    @Test
    void aProduceHandedToTheBrokerHoldsItsBytesUntilAnsweredEvenAfterItsConnectionClosed() {
        QueuedRequests queued = new QueuedRequests(500, 1 << 20);
        CompletableFuture<ProduceResponse> appending = new CompletableFuture<>();
        EmbeddedChannel ch = channel(broker(() -> appending), 600_000L, queued);
        ch.writeInbound(produce(1, 1000));
        long held = queued.bytes();
        assertTrue(held > 1000);
        ch.close();
        assertEquals(held, queued.bytes(), "the broker still references the batches: their bytes still count");
        assertEquals(0, queued.requests());
        appending.complete(produced());
        assertEquals(0, queued.bytes(), "the append is done: the batches are free");
    }

    @Test
    void aConnectionHoldingTooManyRequestBytesStopsReadingUntilHalfAreAnswered() {
        ArrayDeque<CompletableFuture<ProduceResponse>> produces = new ArrayDeque<>();
        EmbeddedChannel ch = channel(broker(() -> {
            CompletableFuture<ProduceResponse> f = new CompletableFuture<>();
            produces.add(f);
            return f;
        }));
        int record = 1 << 20;
        int sent = 0;
        while (ch.config().isAutoRead()) {
            ch.writeInbound(produce(++sent, record));
            assertTrue(sent <= ConnectionHandler.MAX_HELD_REQUEST_BYTES / record + 1, "reading never stopped");
        }
        // Each frame is the record and a little framing: the eighth passes the 8 MiB bound.
        assertEquals(ConnectionHandler.MAX_HELD_REQUEST_BYTES / record, sent, "stops at the byte bound");
        while (!ch.config().isAutoRead()) {
            produces.poll().complete(produced());
            ch.runPendingTasks();
        }
        assertTrue(
                produces.size() * (long) record <= ConnectionHandler.MAX_HELD_REQUEST_BYTES / 2,
                "reads again once half the bound is free");
    }

    @Test
    void aConnectionIdleForAWholePeriodIsClosedButOneWithARequestInFlightIsNot() {
        EmbeddedChannel idle = channel(broker(() -> null), 1_000);
        idle.freezeTime();
        idle.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        idle.runScheduledPendingTasks();
        assertFalse(idle.isOpen(), "nothing sent for connections.max.idle.ms");

        CompletableFuture<ProduceResponse> slow = new CompletableFuture<>();
        EmbeddedChannel waiting = channel(broker(() -> slow), 1_000);
        waiting.freezeTime();
        waiting.writeInbound(produce(1, (short) 1));
        for (int period = 0; period < 3; period++) {
            waiting.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
            waiting.runScheduledPendingTasks();
        }
        assertTrue(waiting.isOpen(), "a request in flight is not idleness");
        slow.complete(produced());
        waiting.runPendingTasks();
        assertEquals(1, correlationIdOf(waiting.readOutbound()));
        waiting.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        waiting.runScheduledPendingTasks();
        assertTrue(waiting.isOpen(), "the answer just left: not yet a whole idle period");
        waiting.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        waiting.runScheduledPendingTasks();
        assertFalse(waiting.isOpen());
    }

    /** A listener-wide bound that another event loop eases right after a connection first sees it full. */
    static final class EasedOnceSeenFull extends QueuedRequests {
        Runnable onSeenFull;

        EasedOnceSeenFull(int maxRequests, long maxBytes) {
            super(maxRequests, maxBytes);
        }

        @Override
        boolean full() {
            boolean full = super.full();
            if (full && onSeenFull != null) {
                Runnable ease = onSeenFull;
                onSeenFull = null;
                ease.run();
            }
            return full;
        }
    }

    @Test
    void aBoundEasedJustAfterAConnectionSawItFullStillWakesTheConnection() {
        EasedOnceSeenFull queued = new EasedOnceSeenFull(500, 10_000);
        CompletableFuture<ProduceResponse> slow = new CompletableFuture<>();
        EmbeddedChannel ch = channel(broker(() -> slow), 600_000L, queued);
        ch.writeInbound(produce(1, (short) 1));
        assertTrue(ch.config().isAutoRead());
        queued.read(20_000); // another connection's produce fills the bound ...
        queued.onSeenFull = () -> queued.released(20_000); // ... and is answered on its loop just after the check

        slow.complete(produced()); // this connection's last request: nothing else will make it look again
        ch.runPendingTasks();
        assertEquals(1, correlationIdOf(ch.readOutbound()));
        assertTrue(ch.config().isAutoRead(), "the connection must read again once the bound eased");
    }
}
