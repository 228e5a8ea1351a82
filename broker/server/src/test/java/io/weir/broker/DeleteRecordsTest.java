package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.fetch;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.BrokerTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.DeleteRecordsResponse;
import io.weir.common.protocol.DeleteTopicsRequest;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListOffsetsRequest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeleteRecords through the broker's {@link BrokerApi}, and the log start it leaves across clean and crash restarts. */
class DeleteRecordsTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private BrokerConfig config(Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>(extra);
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        return BrokerConfig.from(props);
    }

    private BrokerConfig config() {
        return config(Map.of());
    }

    private static Map<TopicPartition, DeleteRecordsResponse.PartitionResult> deleteRecords(
            BrokerApi api, Map<TopicPartition, Long> beforeOffsets) throws Exception {
        return api.deleteRecords(new DeleteRecordsRequest(beforeOffsets))
                .get(10, TimeUnit.SECONDS)
                .partitions();
    }

    private static long deleteRecords(BrokerApi api, TopicPartition tp, long beforeOffset) throws Exception {
        DeleteRecordsResponse.PartitionResult result =
                deleteRecords(api, Map.of(tp, beforeOffset)).get(tp);
        assertEquals(Errors.NONE, result.error().error(), result.error().message());
        return result.lowWatermark();
    }

    private static long listOffset(BrokerApi api, TopicPartition tp, long spec) throws Exception {
        var answer = api.listOffsets(new ListOffsetsRequest(IsolationLevel.READ_UNCOMMITTED, Map.of(tp, spec)))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(tp);
        assertEquals(Errors.NONE, answer.error().error(), answer.error().message());
        return answer.offset();
    }

    /** One record a batch, "v0", "v1", ...: record i is at offset i. */
    private static void produceValues(BrokerApi api, TopicPartition tp, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            assertEquals(i, produce(api, tp, batch(1000 + i, "v" + i)).baseOffset());
        }
    }

    private static List<String> values(int from, int to) {
        return java.util.stream.IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
    }

    /** The entries of {@code log-start-offset-checkpoint}, after its version and count lines. */
    private List<String> checkpointedLogStarts() throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("log-start-offset-checkpoint"));
        return lines.subList(2, lines.size());
    }

    private long segmentFiles(String partitionDir) throws Exception {
        try (var files = Files.list(dir.resolve(partitionDir))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .count();
        }
    }

    @Test
    void theLowWatermarkIsTheNewLogStartForFetchListOffsetsAndProduce() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 5);

            assertEquals(3, deleteRecords(broker.api(), TP, 3));

            assertEquals(
                    Errors.OFFSET_OUT_OF_RANGE,
                    fetch(broker.api(), TP, 2).error().error());
            assertEquals(3, fetch(broker.api(), TP, 3).logStartOffset());
            assertEquals(values(3, 5), readAll(broker.api(), TP, 3));
            assertEquals(3, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
            assertEquals(5, listOffset(broker.api(), TP, ListOffsetsRequest.LATEST));
            assertEquals(3, produce(broker.api(), TP, batch(1000, "v5")).logStartOffset());
        }
    }

    @Test
    void minusOneDeletesEverythingBelowTheHighWatermark() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 4);

            assertEquals(4, deleteRecords(broker.api(), TP, DeleteRecordsRequest.HIGH_WATERMARK));

            assertEquals(List.of(), readAll(broker.api(), TP, 4));
            produceValues(broker.api(), TP, 4, 5);
            assertEquals(values(4, 5), readAll(broker.api(), TP, 4));
        }
    }

    @Test
    void eachPartitionIsAnsweredOnItsOwnAndABadOneLeavesTheOthersAlone() throws Exception {
        TopicPartition other = new TopicPartition("t", 1);
        TopicPartition unknownPartition = new TopicPartition("t", 7);
        TopicPartition unknownTopic = new TopicPartition("nope", 0);
        TopicPartition compacted = new TopicPartition("c", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 3, Map.of());
            createTopic(broker.api(), "c", 1, Map.of("cleanup.policy", "compact"));
            TopicPartition pastHighWatermark = new TopicPartition("t", 2);
            produceValues(broker.api(), TP, 0, 3);
            produceValues(broker.api(), other, 0, 3);
            produceValues(broker.api(), pastHighWatermark, 0, 3);

            Map<TopicPartition, Long> request = new LinkedHashMap<>();
            request.put(TP, 2L);
            request.put(other, -2L);
            request.put(pastHighWatermark, 4L);
            request.put(unknownPartition, 0L);
            request.put(unknownTopic, 0L);
            request.put(compacted, 0L);
            var results = deleteRecords(broker.api(), request);

            assertEquals(Errors.NONE, results.get(TP).error().error());
            assertEquals(2, results.get(TP).lowWatermark());
            assertEquals(Errors.OFFSET_OUT_OF_RANGE, results.get(other).error().error());
            assertTrue(
                    results.get(other).error().message().contains("-2"),
                    results.get(other).error().message());
            assertEquals(
                    Errors.OFFSET_OUT_OF_RANGE,
                    results.get(pastHighWatermark).error().error());
            assertTrue(
                    results.get(pastHighWatermark).error().message().contains("high watermark 3"),
                    results.get(pastHighWatermark).error().message());
            assertEquals(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    results.get(unknownPartition).error().error());
            assertEquals(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    results.get(unknownTopic).error().error());
            assertEquals(Errors.POLICY_VIOLATION, results.get(compacted).error().error());
            assertEquals(-1, results.get(compacted).lowWatermark());
            assertEquals(0, listOffset(broker.api(), other, ListOffsetsRequest.EARLIEST));
            assertEquals(0, listOffset(broker.api(), pastHighWatermark, ListOffsetsRequest.EARLIEST));
        }
    }

    @Test
    void anOffsetBelowTheStartDeletesNothingAndAnswersTheStart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 5);
            deleteRecords(broker.api(), TP, 4);

            assertEquals(4, deleteRecords(broker.api(), TP, 1));
            assertEquals(4, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
        }
    }

    @Test
    void wholeSegmentsBelowTheStartLeaveTheDisk() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(
                config(Map.of(BrokerConfig.LOG_SEGMENT_BYTES, "200", BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS, "0")))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 12);
            long before = segmentFiles("t-0");
            assertTrue(before >= 4, before + " segments");

            deleteRecords(broker.api(), TP, DeleteRecordsRequest.HIGH_WATERMARK);

            assertEquals(1, segmentFiles("t-0"), "only the active segment stays");
            try (var files = Files.list(dir.resolve("t-0"))) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".deleted")), "deleted at once with no delay");
            }
        }
    }

    @Test
    void aDeletionAlreadyDurableWritesNoCheckpointAndANewOneDoes() throws Exception {
        Path checkpoint = dir.resolve("log-start-offset-checkpoint");
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 6);
            deleteRecords(broker.api(), TP, 4);
            Files.delete(checkpoint);

            assertEquals(4, deleteRecords(broker.api(), TP, 4));
            assertEquals(4, deleteRecords(broker.api(), TP, 2));
            assertFalse(Files.exists(checkpoint), "start 4 was durable already: nothing was written");

            assertEquals(5, deleteRecords(broker.api(), TP, 5));
            assertEquals(List.of("t 0 5"), checkpointedLogStarts());
        }
    }

    // ---- restarts ----

    @Test
    void theLogStartSurvivesACleanRestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 2, Map.of());
            produceValues(broker.api(), TP, 0, 6);
            deleteRecords(broker.api(), TP, 4);
        }
        assertEquals(List.of("t 0 4", "t 1 0"), checkpointedLogStarts());
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            assertTrue(broker.openedAfterCleanShutdown());
            assertEquals(4, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
            assertEquals(
                    Errors.OFFSET_OUT_OF_RANGE,
                    fetch(broker.api(), TP, 3).error().error());
            assertEquals(values(4, 6), readAll(broker.api(), TP, 4));
            assertEquals(0, listOffset(broker.api(), new TopicPartition("t", 1), ListOffsetsRequest.EARLIEST));
            assertEquals(6, produce(broker.api(), TP, batch(1000, "v6")).baseOffset());
        }
    }

    @Test
    void theLogStartSurvivesACrashRestart() throws Exception {
        Map<String, Object> smallSegments = Map.of(BrokerConfig.LOG_SEGMENT_BYTES, "300");
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(smallSegments))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 10);
            deleteRecords(broker.api(), TP, 7);
            broker.crashForTesting();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(smallSegments))) {
            assertFalse(broker.openedAfterCleanShutdown());
            assertEquals(7, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
            assertEquals(
                    Errors.OFFSET_OUT_OF_RANGE,
                    fetch(broker.api(), TP, 6).error().error());
            assertEquals(values(7, 10), readAll(broker.api(), TP, 7));
            assertEquals(10, produce(broker.api(), TP, batch(1000, "v10")).baseOffset());
        }
    }

    @Test
    void aCrashThatLostTheTailBelowTheStartReopensEmptyAtTheStart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 1, Map.of());
            produceValues(broker.api(), TP, 0, 5);
            assertEquals(5, deleteRecords(broker.api(), TP, DeleteRecordsRequest.HIGH_WATERMARK));
            broker.crashForTesting();
        }
        // The page cache lost the unsynced tail (a power loss under the os flush policy): the last batch is torn.
        Path segment = dir.resolve("t-0").resolve(String.format("%020d.log", 0));
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.setLength(raf.length() - 5);
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            assertEquals(5, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
            assertEquals(5, listOffset(broker.api(), TP, ListOffsetsRequest.LATEST));
            assertEquals(5, produce(broker.api(), TP, batch(1000, "v5")).baseOffset(), "offsets are never reused");
            assertEquals(values(5, 6), readAll(broker.api(), TP, 5));
        }
    }

    @Test
    void aDeletedTopicForgetsItsLogStartSoARecreatedOneStartsAtZero() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "t", 1, Map.of());
            createTopic(broker.api(), "kept", 1, Map.of());
            produceValues(broker.api(), TP, 0, 3);
            deleteRecords(broker.api(), TP, 2);
            broker.api().deleteTopics(new DeleteTopicsRequest(List.of("t"))).get(10, TimeUnit.SECONDS);

            assertEquals(List.of("kept 0 0"), checkpointedLogStarts());
            createTopic(broker.api(), "t", 1, Map.of());
            produce(broker.api(), TP, batch(1000, "new"));
            broker.crashForTesting();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            assertEquals(0, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
            assertEquals(List.of("new"), readAll(broker.api(), TP, 0));
        }
    }

    @Test
    void anOpenDropsTheLogStartOfAPartitionNoTopicOwns() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "kept", 1, Map.of());
        }
        // What a topic deletion interrupted before its checkpoint rewrite leaves behind.
        Files.writeString(dir.resolve("log-start-offset-checkpoint"), "0\n2\nkept 0 0\nt 0 7\n");
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            assertEquals(List.of("kept 0 0"), checkpointedLogStarts());
            createTopic(broker.api(), "t", 1, Map.of());
            assertEquals(0, produce(broker.api(), TP, batch(1000, "new")).baseOffset());
            broker.crashForTesting();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            assertEquals(0, listOffset(broker.api(), TP, ListOffsetsRequest.EARLIEST));
            assertEquals(List.of("new"), readAll(broker.api(), TP, 0));
        }
    }
}
