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
import io.weir.common.protocol.ProduceResponse;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
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
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                    if (method.getName().equals("produce")) {
                        return produce.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static EmbeddedChannel channel(BrokerApi broker) {
        return new EmbeddedChannel(new ConnectionHandler(new KafkaApis(broker, () -> null), Runnable::run, 1 << 20));
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
}
