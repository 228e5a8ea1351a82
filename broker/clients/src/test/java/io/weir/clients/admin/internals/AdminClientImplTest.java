package io.weir.clients.admin.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.AdminConfig;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.internals.FakeBroker;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidPartitionsException;
import io.weir.common.errors.InvalidTopicException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.CreatePartitionsResponse;
import io.weir.common.protocol.CreateTopicsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.utils.Time;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AdminClientImplTest {
    private final FakeBroker broker = new FakeBroker();

    private AdminClientImpl admin(int requestTimeoutMs) {
        return new AdminClientImpl(
                AdminConfig.builder()
                        .bootstrapServers("embedded:x")
                        .requestTimeoutMs(requestTimeoutMs)
                        .build(),
                broker,
                Time.SYSTEM);
    }

    @Test
    void fansPerTopicErrorsOutToTheirOwnFutures() throws Exception {
        broker.onCreateTopics = r -> CompletableFuture.completedFuture(new CreateTopicsResponse(Map.of(
                "good",
                ApiError.NONE,
                "bad/name",
                new ApiError(Errors.INVALID_TOPIC_EXCEPTION, "Topic name 'bad/name' is illegal"))));
        KeyedResult<String, Void> result =
                admin(1000).createTopics(List.of(new NewTopic("good", 3), new NewTopic("bad/name", 1)));

        assertNull(result.values().get("good").get());
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> result.values().get("bad/name").get());
        assertInstanceOf(InvalidTopicException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("bad/name"));
        ExecutionException all =
                assertThrows(ExecutionException.class, () -> result.all().get());
        assertInstanceOf(InvalidTopicException.class, all.getCause());
    }

    @Test
    void decreaseOfPartitionsFailsWithInvalidPartitions() {
        broker.onCreatePartitions = r -> CompletableFuture.completedFuture(new CreatePartitionsResponse(Map.of(
                "t", new ApiError(Errors.INVALID_PARTITIONS, "Topic t has 4 partitions; cannot decrease to 2"))));
        var result = admin(1000).createPartitions(Map.of("t", 2));
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> result.all().get());
        assertInstanceOf(InvalidPartitionsException.class, e.getCause());
    }

    @Test
    void describeTopicsReportsPartitionsAndConfigs() throws Exception {
        broker.onMetadata = r -> CompletableFuture.completedFuture(new MetadataResponse(
                0,
                "c",
                Map.of(
                        "t",
                        new MetadataResponse.TopicMetadata(
                                ApiError.NONE, "t", 3, Map.of("max.message.bytes", "1000")))));
        var d = admin(1000).describeTopics(List.of("t")).all().get().get("t");
        assertEquals(3, d.partitionCount());
        assertEquals(2, d.partitions().get(2).partition());
        assertEquals("1000", d.configs().get("max.message.bytes"));
    }

    @Test
    void listOffsetsTranslatesSpecsToTheProtocolsSentinels() throws Exception {
        broker.onListOffsets = r -> {
            var out = new java.util.HashMap<TopicPartition, ListOffsetsResponse.PartitionOffset>();
            r.timestamps()
                    .forEach((tp, ts) -> out.put(tp, new ListOffsetsResponse.PartitionOffset(ApiError.NONE, ts, -1)));
            return CompletableFuture.completedFuture(new ListOffsetsResponse(out));
        };
        TopicPartition a = new TopicPartition("t", 0),
                b = new TopicPartition("t", 1),
                c = new TopicPartition("t", 2),
                d = new TopicPartition("t", 3);
        var r = admin(1000)
                .listOffsets(Map.of(
                        a,
                        OffsetSpec.earliest(),
                        b,
                        OffsetSpec.latest(),
                        c,
                        OffsetSpec.maxTimestamp(),
                        d,
                        OffsetSpec.forTimestamp(1234)))
                .all()
                .get();
        assertEquals(ListOffsetsRequest.EARLIEST, r.get(a).offset());
        assertEquals(ListOffsetsRequest.LATEST, r.get(b).offset());
        assertEquals(ListOffsetsRequest.MAX_TIMESTAMP, r.get(c).offset());
        assertEquals(1234, r.get(d).offset());
    }

    @Test
    void unansweredRequestTimesOutNamingTheOperationAndTheSetting() {
        broker.onDeleteTopics = r -> new CompletableFuture<>();
        var result = admin(20).deleteTopics(List.of("t"));
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> result.all().get());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().contains("deleteTopics"), e.getCause().getMessage());
        assertTrue(
                e.getCause().getMessage().contains("request.timeout.ms=20"),
                e.getCause().getMessage());
    }

    @Test
    void refusesCallsAfterClose() {
        AdminClientImpl admin = admin(1000);
        admin.close();
        admin.close();
        assertThrows(IllegalClientStateException.class, admin::listTopics);
    }
}
