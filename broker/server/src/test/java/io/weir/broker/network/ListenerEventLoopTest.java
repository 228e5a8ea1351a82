package io.weir.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.network.internals.KafkaListener;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.ProduceResponse;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

/** A broker call that waits (a produce on a full append ring) must not stall the event loop serving it. */
class ListenerEventLoopTest {
    /** More than the listener's event-loop threads: one of these connections shares the producer's loop. */
    private static final int CONNECTIONS_TO_COVER_EVERY_LOOP = 4;

    @Test
    void produceWaitingForRingSpaceDoesNotHoldUpOtherConnectionsOnItsEventLoop() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch ringHasSpace = new CountDownLatch(1);
        BrokerApi broker = (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("produce")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    entered.countDown();
                    // As AppendRings.publish does on a full ring: the calling thread parks.
                    assertTrue(ringHasSpace.await(30, TimeUnit.SECONDS));
                    return CompletableFuture.completedFuture(new ProduceResponse(Map.of(
                            new TopicPartition("t", 0),
                            new ProduceResponse.PartitionResponse(ApiError.NONE, 0, -1, 0))));
                });
        ListenerConfig config = ListenerConfig.parse(List.of("PLAINTEXT://127.0.0.1:0"), List.of(), 1 << 20);
        try (KafkaListener listener = KafkaListener.start(config, broker, 0, "event-loop-test");
                RawConnection producer =
                        new RawConnection(listener.boundAddress().getPort())) {
            ProduceRequestData produce =
                    new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
            produce.topicData()
                    .add(new ProduceRequestData.TopicProduceData()
                            .setName("t")
                            .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                    .setIndex(0)
                                    .setRecords(MemoryRecords.withRecords(
                                            Compression.NONE, new SimpleRecord("v".getBytes()))))));
            producer.sendRaw(RawConnection.frame(ApiKeys.PRODUCE, (short) 9, 7, produce));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the produce reached the broker");

            List<RawConnection> others = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS_TO_COVER_EVERY_LOOP; i++) {
                    RawConnection other =
                            new RawConnection(listener.boundAddress().getPort());
                    others.add(other);
                    long start = System.nanoTime();
                    ApiVersionsResponse answer = (ApiVersionsResponse) other.call(
                            ApiKeys.API_VERSIONS,
                            (short) 3,
                            new ApiVersionsRequestData()
                                    .setClientSoftwareName("t")
                                    .setClientSoftwareVersion("1"));
                    assertEquals(Errors.NONE.code(), answer.data().errorCode());
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(ms < 5_000, "connection " + i + " answered after " + ms + " ms");
                }
            } finally {
                for (RawConnection other : others) {
                    other.close();
                }
            }
            ringHasSpace.countDown();
            ByteBuffer answer = producer.readFrame();
            assertEquals(
                    7,
                    ResponseHeader.parse(answer, ApiKeys.PRODUCE.responseHeaderVersion((short) 9))
                            .correlationId());
        }
    }
}
