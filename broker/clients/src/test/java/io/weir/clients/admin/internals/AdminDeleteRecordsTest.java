package io.weir.clients.admin.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.AdminConfig;
import io.weir.clients.admin.DeletedRecords;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.RecordsToDelete;
import io.weir.clients.internals.FakeBroker;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.PolicyViolationException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.DeleteRecordsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.utils.Time;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code Admin.deleteRecords} against a scripted broker: what it sends, and how each partition's answer arrives. */
class AdminDeleteRecordsTest {
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);

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

    private void answer(Map<TopicPartition, DeleteRecordsResponse.PartitionResult> results) {
        broker.onDeleteRecords = r -> CompletableFuture.completedFuture(new DeleteRecordsResponse(results));
    }

    private static Throwable failure(KeyedResult<TopicPartition, DeletedRecords> result, TopicPartition tp) {
        return assertThrows(
                        ExecutionException.class, () -> result.values().get(tp).get(5, TimeUnit.SECONDS))
                .getCause();
    }

    @Test
    void sendsEachPartitionsOffsetAndAnswersItsLowWatermark() throws Exception {
        answer(Map.of(
                A, new DeleteRecordsResponse.PartitionResult(ApiError.NONE, 42),
                B, new DeleteRecordsResponse.PartitionResult(ApiError.NONE, 7)));

        Map<TopicPartition, DeletedRecords> deleted = admin(1000)
                .deleteRecords(Map.of(
                        A,
                        RecordsToDelete.beforeOffset(42),
                        B,
                        RecordsToDelete.beforeOffset(RecordsToDelete.HIGH_WATERMARK)))
                .all()
                .get(5, TimeUnit.SECONDS);

        assertEquals(Map.of(A, new DeletedRecords(42), B, new DeletedRecords(7)), deleted);
        DeleteRecordsRequest sent =
                broker.requestsOf(DeleteRecordsRequest.class).get(0);
        assertEquals(Map.of(A, 42L, B, DeleteRecordsRequest.HIGH_WATERMARK), sent.beforeOffsets());
    }

    @Test
    void eachPartitionsErrorFailsItsOwnFutureWithTheTypedException() throws Exception {
        TopicPartition pastEnd = new TopicPartition("t", 2);
        TopicPartition unknown = new TopicPartition("nope", 0);
        TopicPartition compacted = new TopicPartition("c", 0);
        TopicPartition offline = new TopicPartition("t", 3);
        Map<TopicPartition, DeleteRecordsResponse.PartitionResult> results = new HashMap<>();
        results.put(A, new DeleteRecordsResponse.PartitionResult(ApiError.NONE, 3));
        results.put(
                pastEnd,
                DeleteRecordsResponse.PartitionResult.error(new ApiError(
                        Errors.OFFSET_OUT_OF_RANGE, "Cannot delete the records of t-2 before offset 9: past 3")));
        results.put(
                unknown,
                DeleteRecordsResponse.PartitionResult.error(
                        new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'nope' does not exist")));
        results.put(
                compacted,
                DeleteRecordsResponse.PartitionResult.error(
                        new ApiError(Errors.POLICY_VIOLATION, "Records of c-0 cannot be deleted: compact")));
        results.put(
                offline,
                DeleteRecordsResponse.PartitionResult.error(
                        new ApiError(Errors.KAFKA_STORAGE_ERROR, "The log directory is offline")));
        answer(results);
        Map<TopicPartition, RecordsToDelete> request = new LinkedHashMap<>();
        for (TopicPartition tp : results.keySet()) {
            request.put(tp, RecordsToDelete.beforeOffset(9));
        }

        var result = admin(1000).deleteRecords(request);

        assertEquals(new DeletedRecords(3), result.values().get(A).get(5, TimeUnit.SECONDS));
        Throwable outOfRange = assertInstanceOf(OffsetOutOfRangeException.class, failure(result, pastEnd));
        assertTrue(outOfRange.getMessage().contains("t-2"), outOfRange.getMessage());
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(result, unknown));
        assertInstanceOf(PolicyViolationException.class, failure(result, compacted));
        assertInstanceOf(KafkaStorageException.class, failure(result, offline));
        ExecutionException all =
                assertThrows(ExecutionException.class, () -> result.all().get(5, TimeUnit.SECONDS));
        assertTrue(
                all.getCause() instanceof io.weir.common.errors.WeirException,
                all.getCause().toString());
    }

    @Test
    void aPartitionTheAnswerLeftOutFailsWithUnknownServerError() {
        answer(Map.of(A, new DeleteRecordsResponse.PartitionResult(ApiError.NONE, 1)));

        var result = admin(1000)
                .deleteRecords(Map.of(A, RecordsToDelete.beforeOffset(1), B, RecordsToDelete.beforeOffset(1)));

        Throwable e = assertInstanceOf(UnknownServerException.class, failure(result, B));
        assertTrue(e.getMessage().contains("t-1"), e.getMessage());
    }

    @Test
    void anUnansweredRequestTimesOutNamingTheOperation() {
        broker.onDeleteRecords = r -> new CompletableFuture<>();

        var result = admin(20).deleteRecords(Map.of(A, RecordsToDelete.beforeOffset(1)));

        Throwable e = assertInstanceOf(TimeoutException.class, failure(result, A));
        assertTrue(e.getMessage().contains("deleteRecords"), e.getMessage());
    }

    @Test
    void nullInputIsRefusedAtOnceAndNothingIsSent() {
        AdminClientImpl admin = admin(1000);
        assertThrows(IllegalArgumentException.class, () -> admin.deleteRecords(null));
        Map<TopicPartition, RecordsToDelete> nullValue = new HashMap<>();
        nullValue.put(A, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> admin.deleteRecords(nullValue));
        assertTrue(e.getMessage().contains("t-0"), e.getMessage());
        Map<TopicPartition, RecordsToDelete> nullKey = new HashMap<>();
        nullKey.put(null, RecordsToDelete.beforeOffset(1));
        assertThrows(IllegalArgumentException.class, () -> admin.deleteRecords(nullKey));
        assertTrue(broker.requests.isEmpty());
    }

    @Test
    void refusedAfterClose() {
        AdminClientImpl admin = admin(1000);
        admin.close();
        assertThrows(
                IllegalClientStateException.class,
                () -> admin.deleteRecords(Map.of(A, RecordsToDelete.beforeOffset(1))));
    }

    @Test
    void recordsToDeleteRefusesANegativeOffsetOtherThanTheHighWatermark() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RecordsToDelete.beforeOffset(-2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertEquals(-1, RecordsToDelete.beforeOffset(-1).beforeOffset());
        assertEquals(0, RecordsToDelete.beforeOffset(0).beforeOffset());
    }

    @Test
    void recordsToDeleteIsAValue() {
        assertEquals(RecordsToDelete.beforeOffset(5), RecordsToDelete.beforeOffset(5));
        assertEquals(
                RecordsToDelete.beforeOffset(5).hashCode(),
                RecordsToDelete.beforeOffset(5).hashCode());
        assertNotEquals(RecordsToDelete.beforeOffset(5), RecordsToDelete.beforeOffset(6));
        assertEquals("(beforeOffset = 5)", RecordsToDelete.beforeOffset(5).toString());
    }
}
