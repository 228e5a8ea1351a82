package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.fetch;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.BrokerTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.protocol.CreatePartitionsRequest;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.DeleteTopicsRequest;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.utils.MockTime;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {
    @TempDir
    Path dir;

    private BrokerConfig config(Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>(extra);
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        return BrokerConfig.from(props);
    }

    @Test
    void reopenedBrokerFindsTopicsAndRecords() throws Exception {
        TopicPartition tp = new TopicPartition("orders", 1);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "orders", 3, Map.of("retention.ms", "-1"));
            assertEquals(0, produce(broker.api(), tp, batch(1000, "a", "b")).baseOffset());
            assertEquals(2, produce(broker.api(), tp, batch(1000, "c")).baseOffset());
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertTrue(broker.openedAfterCleanShutdown());
            var meta = broker.api()
                    .metadata(new MetadataRequest(List.of("orders"), false))
                    .get()
                    .topics()
                    .get("orders");
            assertEquals(3, meta.partitions());
            assertEquals("-1", meta.configs().get("retention.ms"));
            assertEquals(List.of("a", "b", "c"), readAll(broker.api(), tp, 0));
            assertEquals(3, produce(broker.api(), tp, batch(1000, "d")).baseOffset(), "offsets continue after reopen");
        }
    }

    @Test
    void crashedBrokerRecoversEveryAcknowledgedBatch() throws Exception {
        TopicPartition tp = new TopicPartition("events", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of(BrokerConfig.LOG_SEGMENT_BYTES, "300")))) {
            createTopic(broker.api(), "events", 1, Map.of());
            for (int i = 0; i < 20; i++) {
                produce(broker.api(), tp, batch(1000, "v" + i));
            }
            broker.crashForTesting();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of(BrokerConfig.LOG_SEGMENT_BYTES, "300")))) {
            assertFalse(broker.openedAfterCleanShutdown());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("v" + i);
            }
            assertEquals(expected, readAll(broker.api(), tp, 0));
        }
    }

    @Test
    void recoveryCutsACorruptTailAndKeepsTheValidPrefix() throws Exception {
        TopicPartition tp = new TopicPartition("events", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "events", 1, Map.of());
            produce(broker.api(), tp, batch(1000, "first"));
            produce(broker.api(), tp, batch(1000, "second"));
            produce(broker.api(), tp, batch(1000, "third"));
            broker.crashForTesting();
        }
        Path segment = dir.resolve("events-0").resolve(String.format("%020d.log", 0));
        long size = Files.size(segment);
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.setLength(size - 5); // the third batch is torn
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(List.of("first", "second"), readAll(broker.api(), tp, 0));
            assertEquals(2, produce(broker.api(), tp, batch(1000, "again")).baseOffset());
        }
    }

    @Test
    void recoveryDropsABatchWithAFlippedBitAndEverythingAfterIt() throws Exception {
        TopicPartition tp = new TopicPartition("events", 0);
        long secondPosition;
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "events", 1, Map.of());
            var first = batch(1000, "first");
            secondPosition = first.remaining();
            produce(broker.api(), tp, first);
            produce(broker.api(), tp, batch(1000, "second"));
            produce(broker.api(), tp, batch(1000, "third"));
            broker.crashForTesting();
        }
        Path segment = dir.resolve("events-0").resolve(String.format("%020d.log", 0));
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = secondPosition + 70; // inside the second batch's records
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(List.of("first"), readAll(broker.api(), tp, 0));
        }
    }

    @Test
    void anInterruptedClientThreadCannotBreakAPartition() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produce(broker.api(), tp, batch(1, "before"));
            Thread.currentThread().interrupt();
            try {
                // File reads happen on broker threads, so this thread's interrupt cannot close a channel.
                var pending = broker.api()
                        .fetch(new FetchRequest(
                                0,
                                1,
                                1 << 20,
                                IsolationLevel.READ_UNCOMMITTED,
                                Map.of(tp, new FetchRequest.PartitionFetch(0, 1 << 20))));
                assertTrue(Thread.interrupted(), "the flag is still the caller's");
                assertEquals(
                        List.of("before"),
                        BrokerTestSupport.values(
                                pending.get(10, TimeUnit.SECONDS)
                                        .partitions()
                                        .get(tp)
                                        .records(),
                                0));
            } finally {
                Thread.interrupted();
            }
            produce(broker.api(), tp, batch(1, "after"));
            assertEquals(List.of("before", "after"), readAll(broker.api(), tp, 0));
        }
    }

    @Test
    void brokerThatFailsToOpenReleasesItsDirectory() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
        }
        // Partition logs open on first use; the topic metadata is read by the open itself.
        Path topics = dir.resolve("meta").resolve("topics");
        String good = Files.readString(topics);
        Files.writeString(topics, good + "broken notanumber\n");
        KafkaStorageException e =
                assertThrows(KafkaStorageException.class, () -> EmbeddedBroker.open(config(Map.of())));
        assertTrue(e.getMessage().contains("notanumber"), e.getMessage());
        Files.writeString(topics, good);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertTrue(
                    broker.api()
                            .metadata(new MetadataRequest(List.of("t"), false))
                            .get()
                            .topics()
                            .get("t")
                            .error()
                            .isSuccess(),
                    "the failed open released the lock");
        }
    }

    @Test
    void strayFileInAPartitionIsReportedOnItsFirstUseNamingTheFile() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produce(broker.api(), tp, batch(1, "a"));
        }
        Path stray = dir.resolve("t-0").resolve("junk.log");
        Files.writeString(stray, "x");
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            var fetched = fetch(broker.api(), tp, 0);
            assertEquals(Errors.KAFKA_STORAGE_ERROR, fetched.error().error());
            assertTrue(
                    fetched.error().message().contains("junk.log"),
                    fetched.error().message());
            Files.delete(stray);
            assertEquals(List.of("a"), readAll(broker.api(), tp, 0), "once the file is gone the partition opens");
        }
    }

    @Test
    void deletingATopicForgetsItsRecoveryPoints() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "gone", 2, Map.of());
            createTopic(broker.api(), "kept", 1, Map.of());
            produce(broker.api(), new TopicPartition("gone", 0), batch(1, "x"));
            broker.api().deleteTopics(new DeleteTopicsRequest(List.of("gone"))).get();
            String checkpoint = Files.readString(dir.resolve("recovery-point-offset-checkpoint"));
            assertFalse(checkpoint.contains("gone"), checkpoint);
            assertTrue(checkpoint.contains("kept 0"), checkpoint);
        }
    }

    @Test
    void closeAnswersAWaitingFetch() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()));
        createTopic(broker.api(), "t", 1, Map.of());
        var pending = broker.api()
                .fetch(new FetchRequest(
                        600_000,
                        1,
                        1 << 20,
                        IsolationLevel.READ_UNCOMMITTED,
                        Map.of(tp, new FetchRequest.PartitionFetch(0, 1 << 20))));
        broker.close();
        assertEquals(
                0,
                pending.get(10, TimeUnit.SECONDS).partitions().get(tp).records().remaining());
    }

    @Test
    void unwritableDataDirectoryIsRefusedWithItsPath() throws Exception {
        Path locked = dir.resolve("ro");
        Files.createDirectories(locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Root ignores permissions, so there the case cannot be built; report it as skipped, not passed.
            org.junit.jupiter.api.Assumptions.assumeFalse(
                    Files.isWritable(locked), "running as a user that ignores file permissions");
            KafkaStorageException e = assertThrows(
                    KafkaStorageException.class,
                    () -> EmbeddedBroker.open(BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, locked.toString()))));
            assertTrue(e.getMessage().contains(locked.toString()), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void dataDirectoryAsAPlainFileIsRefusedWithItsPath() throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        KafkaStorageException e = assertThrows(
                KafkaStorageException.class,
                () -> EmbeddedBroker.open(BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, file.toString()))));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void secondBrokerOnTheSameDirectoryIsRefused() {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            KafkaStorageException e =
                    assertThrows(KafkaStorageException.class, () -> EmbeddedBroker.open(config(Map.of())));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void requestsAfterCloseFailClearly() {
        EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()));
        var api = broker.api();
        broker.close();
        broker.close(); // idempotent
        ExecutionException e = assertThrows(ExecutionException.class, () -> api.metadata(MetadataRequest.allTopics())
                .get());
        assertTrue(
                e.getCause() instanceof IllegalClientStateException,
                e.getCause().toString());
    }

    @Test
    void invalidTopicNamesAreRefusedNamingTheName() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            for (String bad : List.of("", ".", "..", "has space", "a/b", "x".repeat(250), "ünï")) {
                var result = broker.api()
                        .createTopics(new CreateTopicsRequest(
                                List.of(new CreateTopicsRequest.NewTopicSpec(bad, 1, Map.of())), false))
                        .get()
                        .results()
                        .get(bad);
                assertEquals(Errors.INVALID_TOPIC_EXCEPTION, result.error(), "name '" + bad + "'");
            }
            assertTrue(broker.api()
                    .createTopics(new CreateTopicsRequest(
                            List.of(new CreateTopicsRequest.NewTopicSpec("ok.name_with-chars.1", 1, Map.of())), false))
                    .get()
                    .results()
                    .get("ok.name_with-chars.1")
                    .isSuccess());
            assertTrue(broker.api()
                    .createTopics(new CreateTopicsRequest(
                            List.of(new CreateTopicsRequest.NewTopicSpec("x".repeat(249), 1, Map.of())), false))
                    .get()
                    .results()
                    .get("x".repeat(249))
                    .isSuccess());
        }
    }

    @Test
    void unknownTopicOrPartitionIsAnErrorNamingBoth() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 2, Map.of());
            var response = produce(broker.api(), new TopicPartition("t", 5), batch(1, "x"));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, response.error().error());
            assertTrue(
                    response.error().message().contains("Partition 5")
                            && response.error().message().contains("'t'"),
                    response.error().message());
            var fetched = fetch(broker.api(), new TopicPartition("nope", 0), 0);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, fetched.error().error());
        }
    }

    @Test
    void batchOverTheTopicLimitIsRefusedNamingBothSizesAndNothingIsStored() throws Exception {
        TopicPartition tp = new TopicPartition("small", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "small", 1, Map.of("max.message.bytes", "200"));
            var big = batch(1, "x".repeat(500));
            int size = big.remaining();
            var response = produce(broker.api(), tp, big);
            assertEquals(Errors.MESSAGE_TOO_LARGE, response.error().error());
            assertTrue(
                    response.error().message().contains(Integer.toString(size))
                            && response.error().message().contains("200"),
                    response.error().message());
            assertEquals(0, readAll(broker.api(), tp, 0).size());
        }
    }

    @Test
    void negativeTimestampIsRefused() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            var bytes = batch(5, "x");
            // Our own builder refuses negative timestamps, so forge the batch another client could send.
            bytes.putLong(io.weir.common.record.RecordBatch.BASE_TIMESTAMP_OFFSET, -5L);
            bytes.putLong(io.weir.common.record.RecordBatch.MAX_TIMESTAMP_OFFSET, -5L);
            bytes.putInt(
                    io.weir.common.record.RecordBatch.CRC_OFFSET,
                    io.weir.common.record.RecordBatch.wrap(bytes).computeCrc());
            var response = produce(broker.api(), tp, bytes);
            assertEquals(Errors.INVALID_TIMESTAMP, response.error().error());
            assertTrue(
                    response.error().message().contains("-5"), response.error().message());
        }
    }

    @Test
    void corruptBatchFromAClientIsRefusedAndNothingIsStored() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            var corrupt = batch(1, "hello");
            corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1));
            assertEquals(
                    Errors.CORRUPT_MESSAGE,
                    produce(broker.api(), tp, corrupt).error().error());
            assertEquals(0, readAll(broker.api(), tp, 0).size());
        }
    }

    @Test
    void partitionCountCanGrowButNeverShrink() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 2, Map.of());
            var shrink = broker.api()
                    .createPartitions(new CreatePartitionsRequest(Map.of("t", 1), false))
                    .get()
                    .results()
                    .get("t");
            assertEquals(Errors.INVALID_PARTITIONS, shrink.error());
            assertTrue(shrink.message().contains("2") && shrink.message().contains("1"), shrink.message());
            assertTrue(broker.api()
                    .createPartitions(new CreatePartitionsRequest(Map.of("t", 4), false))
                    .get()
                    .results()
                    .get("t")
                    .isSuccess());
            assertEquals(
                    0,
                    produce(broker.api(), new TopicPartition("t", 3), batch(1, "x"))
                            .baseOffset());
        }
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(
                    4,
                    broker.api()
                            .metadata(new MetadataRequest(List.of("t"), false))
                            .get()
                            .topics()
                            .get("t")
                            .partitions());
        }
    }

    @Test
    void deletedTopicIsGoneAndARecreatedOneStartsEmpty() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produce(broker.api(), tp, batch(1, "old"));
            assertTrue(broker.api()
                    .deleteTopics(new DeleteTopicsRequest(List.of("t")))
                    .get()
                    .results()
                    .get("t")
                    .isSuccess());
            assertEquals(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    broker.api()
                            .metadata(new MetadataRequest(List.of("t"), false))
                            .get()
                            .topics()
                            .get("t")
                            .error()
                            .error());
            createTopic(broker.api(), "t", 1, Map.of());
            assertEquals(List.of(), readAll(broker.api(), tp, 0));
        }
    }

    @Test
    void metadataAutoCreatesTopicsOnlyWhenEnabled() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of(BrokerConfig.NUM_PARTITIONS, "3")))) {
            var meta = broker.api()
                    .metadata(new MetadataRequest(List.of("auto"), true))
                    .get()
                    .topics()
                    .get("auto");
            assertEquals(3, meta.partitions());
        }
        try (EmbeddedBroker broker =
                EmbeddedBroker.open(config(Map.of(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE, "false")))) {
            var meta = broker.api()
                    .metadata(new MetadataRequest(List.of("manual"), true))
                    .get()
                    .topics()
                    .get("manual");
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, meta.error().error());
        }
    }

    @Test
    void listOffsetsFindsEarliestLatestAndByTimestamp() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produce(broker.api(), tp, batch(1_000, "a", "b"));
            produce(broker.api(), tp, batch(2_000, "c"));
            produce(broker.api(), tp, batch(3_000, "d"));
            var offsets = broker.api()
                    .listOffsets(new ListOffsetsRequest(
                            IsolationLevel.READ_UNCOMMITTED, Map.of(tp, ListOffsetsRequest.EARLIEST)))
                    .get()
                    .partitions()
                    .get(tp);
            assertEquals(0, offsets.offset());
            assertEquals(
                    4,
                    broker.api()
                            .listOffsets(new ListOffsetsRequest(
                                    IsolationLevel.READ_UNCOMMITTED, Map.of(tp, ListOffsetsRequest.LATEST)))
                            .get()
                            .partitions()
                            .get(tp)
                            .offset());
            var byTime = broker.api()
                    .listOffsets(new ListOffsetsRequest(IsolationLevel.READ_UNCOMMITTED, Map.of(tp, 1_500L)))
                    .get()
                    .partitions()
                    .get(tp);
            assertEquals(2, byTime.offset());
            assertEquals(2_000, byTime.timestamp());
            assertEquals(
                    -1,
                    broker.api()
                            .listOffsets(new ListOffsetsRequest(IsolationLevel.READ_UNCOMMITTED, Map.of(tp, 9_000L)))
                            .get()
                            .partitions()
                            .get(tp)
                            .offset());
            assertEquals(
                    3,
                    broker.api()
                            .listOffsets(new ListOffsetsRequest(
                                    IsolationLevel.READ_UNCOMMITTED, Map.of(tp, ListOffsetsRequest.MAX_TIMESTAMP)))
                            .get()
                            .partitions()
                            .get(tp)
                            .offset());
        }
    }

    @Test
    void longPollIsWokenByAnAppend() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            Map<TopicPartition, FetchRequest.PartitionFetch> parts =
                    Map.of(tp, new FetchRequest.PartitionFetch(0, 1 << 20));
            // A wait far longer than the test's own deadline: only an append can complete it in time.
            CompletableFuture<io.weir.common.protocol.FetchResponse> pending =
                    broker.api().fetch(new FetchRequest(600_000, 1, 1 << 20, IsolationLevel.READ_UNCOMMITTED, parts));
            assertFalse(pending.isDone(), "nothing to read yet");
            produce(broker.api(), tp, batch(1, "wake"));
            var data = pending.get(10, TimeUnit.SECONDS).partitions().get(tp);
            assertEquals(List.of("wake"), BrokerTestSupport.values(data.records(), 0));
        }
    }

    @Test
    void fetchOutOfRangeNamesThePartitionAndTheLogBounds() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            produce(broker.api(), tp, batch(1, "a"));
            var data = fetch(broker.api(), tp, 7);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE, data.error().error());
            assertTrue(
                    data.error().message().contains("t-0")
                            && data.error().message().contains("7"),
                    data.error().message());
        }
    }

    @Test
    void invalidAcksIsRefused() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), "t", 1, Map.of());
            var response = broker.api()
                    .produce(new ProduceRequest((short) 2, 1000, null, Map.of(tp, batch(1, "x"))))
                    .get();
            assertEquals(
                    Errors.INVALID_REQUIRED_ACKS,
                    response.partitions().get(tp).error().error());
        }
    }

    @Test
    void retentionDeletesOldSegmentsAndAdvancesTheLogStart() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        MockTime time = new MockTime();
        try (EmbeddedBroker broker = EmbeddedBroker.open(
                config(Map.of(BrokerConfig.LOG_SEGMENT_BYTES, "200", BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS, "0")),
                time)) {
            createTopic(broker.api(), "t", 1, Map.of("retention.ms", "10000"));
            long now = time.milliseconds();
            for (int i = 0; i < 6; i++) {
                produce(broker.api(), tp, batch(now, "old-" + i));
            }
            time.sleep(20_000);
            produce(broker.api(), tp, batch(time.milliseconds(), "new"));
            broker.runRetention();
            var data = fetch(broker.api(), tp, 6);
            assertEquals(6, data.logStartOffset(), "every segment holding only old records is gone");
            assertEquals(
                    Errors.OFFSET_OUT_OF_RANGE,
                    fetch(broker.api(), tp, 0).error().error());
            assertEquals(List.of("new"), readAll(broker.api(), tp, 6));
        }
    }

    @Test
    void segmentRollsBySegmentMsOnTheInjectedClock() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        MockTime time = new MockTime();
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()), time)) {
            createTopic(broker.api(), "t", 1, Map.of("segment.ms", "1000"));
            produce(broker.api(), tp, batch(time.milliseconds(), "a"));
            produce(broker.api(), tp, batch(time.milliseconds(), "b"));
            time.sleep(1_000);
            produce(broker.api(), tp, batch(time.milliseconds(), "c"));
        }
        try (var files = Files.list(dir.resolve("t-0"))) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".log")).count(), "a second segment at offset 2");
        }
        assertTrue(Files.exists(dir.resolve("t-0").resolve(String.format("%020d.log", 2))));
    }
}
