package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.fetch;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.BrokerTestSupport.readAll;
import static io.weir.broker.TransactionTestSupport.txnBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk.Op;
import io.weir.broker.TransactionTestSupport.Producer;
import io.weir.broker.internals.log.FileChannelFactory;
import io.weir.broker.internals.log.LogDirFailureException;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.ConfigResourceKey;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.IncrementalAlterConfigsRequest;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage-failure rule, one place at a time: a {@link FaultyDisk} fails a write or sync of one file, and
 * then the whole log directory is offline — every produce and fetch of either partition of topic {@code t}
 * answers KAFKA_STORAGE_ERROR naming that file, and no topic is created there — the broker still closes without an error (and without the
 * clean-shutdown marker), and a reopen on a healthy disk finds every acknowledged record.
 */
class StorageFailureTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    private final MockTime time = new MockTime();
    private final Map<TopicPartition, List<String>> acked = new HashMap<>();
    private EmbeddedBroker broker;
    private String flushPolicy;
    private int sent;

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    // ---- the segment's .log ---------------------------------------------------------------------------------

    @Test
    void aFailedSyncOfASegmentTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        disk.fail(Op.FORCE, isIn("t-0", ".log"));
        assertRefused(produce(broker.api(), T0, next()));
        assertOfflineAfterFailureOf("00000000000000000000.log");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedWriteOfASegmentTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of());
        disk.fail(Op.WRITE, isIn("t-0", ".log"));
        assertRefused(produce(broker.api(), T0, next()));
        assertOfflineAfterFailureOf("00000000000000000000.log");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfRolledSegmentsKeepsTheRecoveryPointWhereTheLastGoodSyncLeftIt() throws Exception {
        start("os", Map.of("segment.bytes", "200"));
        produceUntilSegments(T0, 3);
        broker.checkpointRecoveryPoints();
        long synced = checkpointedRecoveryPoint(T0);
        assertTrue(synced > 0, "the rolled segments were synced");
        produceUntilSegments(T0, 6);
        disk.fail(Op.FORCE, isIn("t-0", ".log"));

        LogDirFailureException e = assertThrows(LogDirFailureException.class, broker::checkpointRecoveryPoints);

        assertEquals(disk.failed().get(0), e.file(), "the exception names the file whose sync failed");
        assertOfflineAfterFailureOf(".log");
        disk.heal();
        broker.checkpointRecoveryPoints(); // a later sync would succeed, but proves nothing: nothing moves
        broker.close();
        assertEquals(synced, checkpointedRecoveryPoint(T0), "no recovery point past the failed sync");
        // Under the os policy a record is acknowledged before it is synced, and the failed sync dropped the
        // failing segment's unsynced tail (as FaultyDisk does): what must survive is every acknowledged record
        // below the recovery point the last good sync left, and nothing out of order after it.
        assertCloseAndReopenKeepAcknowledgedBelow(synced);
    }

    @Test
    void aFailedCreationOfTheNextSegmentOnRollTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("segment.bytes", "200"));
        disk.fail(Op.OPEN, path -> isIn("t-0", ".log").test(path) && !path.endsWith("00000000000000000000.log"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf(".log");
        assertCloseAndReopenKeepAcknowledged();
    }

    // ---- indexes --------------------------------------------------------------------------------------------

    @Test
    void aFailedWriteOfTheOffsetIndexTakesTheDirectoryOffline() throws Exception {
        // A group commit syncs only the active segment's data (recovery rebuilds its indexes); a roll writes and
        // syncs the rolled segment's indexes.
        start("every-batch", Map.of("segment.bytes", "200", "index.interval.bytes", "0"));
        disk.fail(Op.WRITE, isIn("t-0", ".index"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf("00000000000000000000.index");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfTheOffsetIndexTakesTheDirectoryOffline() throws Exception {
        // A group commit syncs only the active segment's data (recovery rebuilds its indexes); a roll writes and
        // syncs the rolled segment's indexes.
        start("every-batch", Map.of("segment.bytes", "200"));
        disk.fail(Op.FORCE, isIn("t-0", ".index"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf("00000000000000000000.index");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedWriteOfTheTimeIndexTakesTheDirectoryOffline() throws Exception {
        // A group commit syncs only the active segment's data (recovery rebuilds its indexes); a roll writes and
        // syncs the rolled segment's indexes.
        start("every-batch", Map.of("segment.bytes", "200", "index.interval.bytes", "0"));
        disk.fail(Op.WRITE, isIn("t-0", ".timeindex"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf("00000000000000000000.timeindex");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfTheTimeIndexTakesTheDirectoryOffline() throws Exception {
        // A group commit syncs only the active segment's data (recovery rebuilds its indexes); a roll writes and
        // syncs the rolled segment's indexes.
        start("every-batch", Map.of("segment.bytes", "200"));
        disk.fail(Op.FORCE, isIn("t-0", ".timeindex"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf("00000000000000000000.timeindex");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedWriteOfTheTransactionIndexTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        Producer stray = openStrayTransaction();
        disk.fail(Op.WRITE, isIn("t-0", ".txnindex"));
        assertRefused(abort(stray));
        assertOfflineAfterFailureOf("00000000000000000000.txnindex");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfTheTransactionIndexTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of("segment.bytes", "200"));
        assertEquals(Errors.NONE, abort(openStrayTransaction()).error());
        disk.fail(Op.FORCE, isIn("t-0", ".txnindex"));
        produceUntilRefused(T0); // the roll syncs the rolled segment's aborted transactions
        assertOfflineAfterFailureOf("00000000000000000000.txnindex");
        assertCloseAndReopenKeepAcknowledged();
    }

    // ---- checkpoints and snapshots --------------------------------------------------------------------------

    @Test
    void aFailedProducerStateSnapshotOnRollTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("segment.bytes", "200"));
        disk.fail(Op.FORCE, isIn("t-0", ".snapshot.tmp"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf(".snapshot.tmp");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedWriteOfTheRecoveryPointCheckpointTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of());
        disk.fail(Op.FORCE, path -> path.endsWith("recovery-point-offset-checkpoint.tmp"));
        LogDirFailureException e = assertThrows(LogDirFailureException.class, broker::checkpointRecoveryPoints);
        assertEquals(dir.resolve("recovery-point-offset-checkpoint.tmp"), e.file());
        assertOfflineAfterFailureOf("recovery-point-offset-checkpoint.tmp");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedWriteOfTheLogStartCheckpointTakesTheDirectoryOfflineAndTheDeletionIsNotAcknowledged() throws Exception {
        start("os", Map.of());
        produceAcked(T0);
        produceAcked(T0);
        disk.fail(Op.FORCE, path -> path.endsWith("log-start-offset-checkpoint.tmp"));
        ApiError answer = deleteRecords(T0, 1L);
        assertRefused(answer);
        assertTrue(answer.message().contains("log-start-offset-checkpoint.tmp"), answer.message());
        assertOfflineAfterFailureOf("log-start-offset-checkpoint.tmp");
        assertCloseAndReopenKeepAcknowledgedFromLogStart();
    }

    @Test
    void aFailedWriteOfTheCleanerCheckpointTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("cleanup.policy", "compact", "segment.bytes", "300", "min.cleanable.dirty.ratio", "0.01"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.FORCE, path -> path.endsWith("cleaner-offset-checkpoint.tmp"));
        broker.runLogCleaner();
        assertOfflineAfterFailureOf("cleaner-offset-checkpoint.tmp");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfACleanedSegmentTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("cleanup.policy", "compact", "segment.bytes", "300", "min.cleanable.dirty.ratio", "0.01"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.FORCE, isIn("t-0", ".log.cleaned"));
        assertEquals(0, broker.runLogCleaner(), "the pass failed");
        assertOfflineAfterFailureOf(".log.cleaned");
        assertCloseAndReopenKeepAcknowledged();
    }

    // ---- renames and deletions ------------------------------------------------------------------------------

    @Test
    void aFailedRenameInstallingACleanedSegmentTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("cleanup.policy", "compact", "segment.bytes", "300", "min.cleanable.dirty.ratio", "0.01"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.RENAME, isIn("t-0", ".log.cleaned"));
        assertEquals(0, broker.runLogCleaner(), "the pass failed");
        assertOfflineAfterFailureOf("00000000000000000000.log.cleaned"); // the file, not the partition directory
        // The swap was committed: the reopen finishes it from the marker and the cleaned files.
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedDeletionOfASwapMarkerTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("cleanup.policy", "compact", "segment.bytes", "300", "min.cleanable.dirty.ratio", "0.01"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.DELETE, isIn("t-0", ".swap"));
        assertEquals(0, broker.runLogCleaner(), "the pass failed");
        assertOfflineAfterFailureOf("00000000000000000000.swap");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedDeletionOfAnOldProducerStateSnapshotTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("segment.bytes", "200"));
        // Each roll writes a snapshot and deletes those no longer kept (all but the newest two, here).
        disk.fail(Op.DELETE, isIn("t-0", ".snapshot"));
        produceUntilRefused(T0);
        assertOfflineAfterFailureOf(".snapshot");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedDeletionOfARetiredSegmentsIndexTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("segment.bytes", "200", "retention.bytes", "200"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.DELETE, isIn("t-0", "00000000000000000000.index"));
        LogDirFailureException e = assertThrows(LogDirFailureException.class, broker::runRetention);
        assertEquals(
                dir.resolve("t-0").resolve("00000000000000000000.index"),
                e.file(),
                "the file, not the partition directory");
        assertOfflineAfterFailureOf("00000000000000000000.index");
        assertCloseAndReopenKeepAcknowledgedFromLogStart();
    }

    @Test
    void aFailedRenameRetiringASegmentTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("segment.bytes", "200", "retention.bytes", "200"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.RENAME, isIn("t-0", "00000000000000000000.log"));
        LogDirFailureException e = assertThrows(LogDirFailureException.class, broker::runRetention);
        assertEquals(
                dir.resolve("t-0").resolve("00000000000000000000.log"),
                e.file(),
                "the file, not the partition directory");
        assertOfflineAfterFailureOf("00000000000000000000.log");
        assertCloseAndReopenKeepAcknowledgedFromLogStart();
    }

    @Test
    void aFailedRenameRetiringASegmentOnDeleteRecordsTakesTheDirectoryOffline() throws Exception {
        start("os", Map.of("segment.bytes", "200"));
        produceUntilSegments(T0, 3);
        disk.fail(Op.RENAME, isIn("t-0", "00000000000000000000.log"));
        ApiError answer = deleteRecords(T0, -1L);
        assertRefused(answer);
        assertTrue(answer.message().contains("00000000000000000000.log"), answer.message());
        assertOfflineAfterFailureOf("00000000000000000000.log");
        assertCloseAndReopenKeepAcknowledgedFromLogStart();
    }

    // ---- directories ----------------------------------------------------------------------------------------

    @Test
    void aFailedSyncOfAPartitionDirectoryTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        // t-0 has not been synced yet: its first sync also makes its new segment's directory entry durable.
        disk.fail(Op.FORCE, path -> path.equals(dir.resolve("t-0")));
        assertRefused(produce(broker.api(), T0, next()));
        assertOfflineAfterFailureOf("t-0");
        assertCloseAndReopenKeepAcknowledged();
    }

    // ---- the data directory's own files ---------------------------------------------------------------------

    @Test
    void aFailedSyncOfTheTopicMetadataTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        disk.fail(Op.FORCE, path -> path.equals(dir.resolve("meta").resolve("topics.tmp")));
        assertRefused(createTopicAnswer("v"));
        assertOfflineAfterFailureOf("topics.tmp");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfTheDataDirectoryAfterATopicIsCreatedTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        disk.fail(Op.FORCE, dir::equals);
        assertRefused(createTopicAnswer("v"));
        assertEquals(List.of(dir), disk.failed(), "the failure is the data directory's own sync");
        assertOfflineAfterFailureOf(dir.getFileName().toString());
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedWriteOfTheTopicMetadataOnAConfigChangeTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        disk.fail(Op.WRITE, path -> path.equals(dir.resolve("meta").resolve("topics.tmp")));
        ConfigResourceKey topic = new ConfigResourceKey(ConfigResourceKey.Type.TOPIC, "t");
        ApiError altered = broker.api()
                .incrementalAlterConfigs(new IncrementalAlterConfigsRequest(
                        Map.of(
                                topic,
                                List.of(new IncrementalAlterConfigsRequest.AlterableConfig(
                                        "retention.ms", IncrementalAlterConfigsRequest.OpType.SET, "1000"))),
                        false))
                .get(10, TimeUnit.SECONDS)
                .results()
                .get(topic);
        assertRefused(altered);
        assertOfflineAfterFailureOf("topics.tmp");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfTheProducerIdBlockTakesTheDirectoryOffline() throws Exception {
        start("every-batch", Map.of());
        disk.fail(Op.FORCE, path -> path.equals(dir.resolve("producer-id-block.tmp")));
        // The idempotent producer's id is answered as a failed future, as every error of that call is.
        ExecutionException failed = assertThrows(ExecutionException.class, () -> broker.api()
                .initProducerId(new InitProducerIdRequest(
                        null, 60_000, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH))
                .get(10, TimeUnit.SECONDS));
        LogDirFailureException e = assertInstanceOf(LogDirFailureException.class, failed.getCause());
        assertEquals(dir.resolve("producer-id-block.tmp"), e.file());
        assertOfflineAfterFailureOf("producer-id-block.tmp");
        assertCloseAndReopenKeepAcknowledged();
    }

    @Test
    void aFailedSyncOfTheDataDirectoryOnCloseLeavesNoCleanShutdownMarker() throws Exception {
        start("every-batch", Map.of());
        Path marker = dir.resolve(".weir_cleanshutdown");
        // The close's last step: the data directory's sync after the marker was written.
        disk.fail(Op.FORCE, path -> path.equals(dir) && Files.exists(marker));
        assertCloseAndReopenKeepAcknowledged(); // asserts no marker after the close, and a recovering reopen
        assertEquals(List.of(dir), disk.failed(), "the failure was the sync after the marker");
    }

    // ---- the scenario ---------------------------------------------------------------------------------------

    /** Opens a broker on the faulty disk with topic {@code t} (2 partitions) and one acknowledged batch on t-1. */
    private void start(String flushPolicy, Map<String, String> topicConfig) throws Exception {
        this.flushPolicy = flushPolicy;
        broker = EmbeddedBroker.open(config(), time, disk);
        createTopic(broker.api(), "t", 2, topicConfig);
        produceAcked(T1);
    }

    private BrokerConfig config() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.LOG_FLUSH_POLICY, flushPolicy);
        // Passes run only when a test asks for one, on the faulty disk or not at all.
        props.put(BrokerConfig.LOG_CLEANER_ENABLE, "false");
        return BrokerConfig.from(props);
    }

    /** The next record, "v{n}" under key "k{n}": every key once, so compaction keeps them all. */
    private ByteBuffer next() {
        sent++;
        return keyed("k" + sent, "v" + sent);
    }

    /** A batch of one keyed record stamped now (older records would roll segments by segment.ms). */
    private ByteBuffer keyed(String key, String value) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        builder.append(
                time.milliseconds(),
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                new Header[0]);
        return builder.build();
    }

    private void produceAcked(TopicPartition tp) throws Exception {
        ByteBuffer batch = next();
        var response = produce(broker.api(), tp, batch);
        assertEquals(Errors.NONE, response.error().error(), response.error().message());
        acked.computeIfAbsent(tp, k -> new ArrayList<>()).add("v" + sent);
    }

    private void produceUntilSegments(TopicPartition tp, int segments) throws Exception {
        while (segmentCount(tp) < segments) {
            produceAcked(tp);
        }
    }

    /** Produces until an append is refused; the ones before were acknowledged. */
    private void produceUntilRefused(TopicPartition tp) throws Exception {
        for (int i = 0; i < 100; i++) {
            ByteBuffer batch = next();
            var response = produce(broker.api(), tp, batch);
            if (!response.error().isSuccess()) {
                assertRefused(response);
                return;
            }
            acked.computeIfAbsent(tp, k -> new ArrayList<>()).add("v" + sent);
        }
        throw new AssertionError("no append was refused");
    }

    private long segmentCount(TopicPartition tp) throws Exception {
        try (var files = Files.list(dir.resolve(tp.topic() + "-" + tp.partition()))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .count();
        }
    }

    /** A transaction the coordinator does not know, with one acknowledged batch on t-0. */
    private Producer openStrayTransaction() throws Exception {
        Producer stray = new Producer("stray", 9_999L, (short) 0);
        var response = produce(broker.api(), T0, txnBatch(stray, 0, time.milliseconds(), "txn"));
        assertEquals(Errors.NONE, response.error().error(), response.error().message());
        acked.computeIfAbsent(T0, k -> new ArrayList<>()).add("txn");
        return stray;
    }

    private ApiError abort(Producer producer) throws Exception {
        return broker.api()
                .writeTxnMarkers(new WriteTxnMarkersRequest(List.of(new WriteTxnMarkersRequest.TxnMarker(
                        producer.producerId(), producer.producerEpoch(), false, 0, List.of(T0)))))
                .get(10, TimeUnit.SECONDS)
                .results()
                .get(producer.producerId())
                .get(T0);
    }

    private ApiError deleteRecords(TopicPartition tp, long beforeOffset) throws Exception {
        return broker.api()
                .deleteRecords(new DeleteRecordsRequest(Map.of(tp, beforeOffset)))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(tp)
                .error();
    }

    private ApiError createTopicAnswer(String name) throws Exception {
        return broker.api()
                .createTopics(new CreateTopicsRequest(
                        List.of(new CreateTopicsRequest.NewTopicSpec(name, 1, Map.of())), false))
                .get(10, TimeUnit.SECONDS)
                .results()
                .get(name);
    }

    private static Predicate<Path> isIn(String partitionDir, String suffix) {
        return path -> path.getParent() != null
                && path.getParent().getFileName().toString().equals(partitionDir)
                && path.getFileName().toString().endsWith(suffix);
    }

    private static void assertRefused(ProduceResponse.PartitionResponse response) {
        assertRefused(response.error());
    }

    private static void assertRefused(ApiError error) {
        assertEquals(Errors.KAFKA_STORAGE_ERROR, error.error(), error.message());
    }

    /**
     * An injected failure hit a file whose name ends with {@code failedFile}, and every partition of the
     * directory now refuses appends and reads with KAFKA_STORAGE_ERROR, naming that file.
     */
    private void assertOfflineAfterFailureOf(String failedFile) throws Exception {
        List<Path> failed = disk.failed();
        assertFalse(failed.isEmpty(), "the fault was hit");
        Path first = failed.get(0);
        assertTrue(first.toString().endsWith(failedFile), first.toString());
        for (TopicPartition tp : List.of(T0, T1)) {
            ApiError produced = produce(broker.api(), tp, keyed("k", "refused")).error();
            assertRefused(produced);
            assertTrue(produced.message().contains(first.toString()), produced.message());
            ApiError fetched = fetch(broker.api(), tp, 0).error();
            assertRefused(fetched);
            assertTrue(fetched.message().contains(first.toString()), fetched.message());
        }
        for (long spec : List.of(ListOffsetsRequest.EARLIEST, ListOffsetsRequest.LATEST, 1L)) {
            assertRefused(broker.api()
                    .listOffsets(new ListOffsetsRequest(IsolationLevel.READ_UNCOMMITTED, Map.of(T1, spec)))
                    .get(10, TimeUnit.SECONDS)
                    .partitions()
                    .get(T1)
                    .error());
        }
        ApiError created = broker.api()
                .createTopics(
                        new CreateTopicsRequest(List.of(new CreateTopicsRequest.NewTopicSpec("u", 1, Map.of())), false))
                .get(10, TimeUnit.SECONDS)
                .results()
                .get("u");
        assertRefused(created); // no new log on a disk that is not trusted
    }

    /**
     * The broker closes without an error and without the clean-shutdown marker; reopened on a healthy disk, it
     * recovers, holds every acknowledged record of both partitions in order, and takes appends again.
     */
    private void assertCloseAndReopenKeepAcknowledged() throws Exception {
        reopen();
        for (TopicPartition tp : List.of(T0, T1)) {
            List<String> read = readAll(broker.api(), tp, 0);
            assertInOrder(acked.getOrDefault(tp, List.of()), read, tp);
        }
        assertEquals(
                Errors.NONE,
                produce(broker.api(), T0, keyed("k", "after")).error().error());
    }

    /**
     * As {@link #assertCloseAndReopenKeepAcknowledged()} after retention ran on t-0: every acknowledged record of
     * t-0 from its log start on. Its i-th acknowledged record is at offset i (one record per batch, nothing else
     * written there), so the log start says which ones retention was allowed to take.
     */
    private void assertCloseAndReopenKeepAcknowledgedFromLogStart() throws Exception {
        reopen();
        long start = broker.api()
                .listOffsets(new ListOffsetsRequest(
                        IsolationLevel.READ_UNCOMMITTED, Map.of(T0, ListOffsetsRequest.EARLIEST)))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(T0)
                .offset();
        List<String> expected = acked.get(T0);
        assertInOrder(
                expected.subList((int) Math.min(start, expected.size()), expected.size()),
                readAll(broker.api(), T0, start),
                T0);
        assertInOrder(acked.get(T1), readAll(broker.api(), T1, 0), T1);
        assertEquals(
                Errors.NONE,
                produce(broker.api(), T0, keyed("k", "after")).error().error());
    }

    /**
     * As {@link #assertCloseAndReopenKeepAcknowledged()} when t-0's unsynced acknowledged records may be lost: its
     * records below {@code recoveryPoint} all survive, and what it holds is a prefix of what was acknowledged. Its
     * i-th acknowledged record is at offset i (one record per batch, nothing else written there).
     */
    private void assertCloseAndReopenKeepAcknowledgedBelow(long recoveryPoint) throws Exception {
        reopen();
        List<String> expected = acked.get(T0);
        List<String> read = readAll(broker.api(), T0, 0);
        assertTrue(
                read.size() >= recoveryPoint,
                "t-0 keeps every record below its recovery point " + recoveryPoint + ": " + read);
        assertEquals(expected.subList(0, read.size()), read, "t-0 holds a prefix of what was acknowledged");
        assertInOrder(acked.get(T1), readAll(broker.api(), T1, 0), T1);
        assertEquals(
                Errors.NONE,
                produce(broker.api(), T0, keyed("k", "after")).error().error());
    }

    /** Closes, heals the disk, checks the close left no clean-shutdown marker, and reopens on a healthy disk. */
    private void reopen() {
        broker.close();
        disk.heal();
        assertFalse(Files.exists(dir.resolve(".weir_cleanshutdown")), "an offline directory is not closed cleanly");
        broker = EmbeddedBroker.open(config(), time, FileChannelFactory.SYSTEM);
        assertFalse(broker.openedAfterCleanShutdown());
    }

    private static void assertInOrder(List<String> expected, List<String> actual, TopicPartition tp) {
        int at = 0;
        for (String value : actual) {
            if (at < expected.size() && expected.get(at).equals(value)) {
                at++;
            }
        }
        assertEquals(
                expected.size(),
                at,
                tp + ": every acknowledged record, in order, in " + actual + "; expected " + expected);
    }

    /** The recovery point of {@code tp} in the checkpoint file, 0 when it has none. */
    private long checkpointedRecoveryPoint(TopicPartition tp) throws Exception {
        Path file = dir.resolve("recovery-point-offset-checkpoint");
        if (!Files.exists(file)) {
            return 0;
        }
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 3 && parts[0].equals(tp.topic()) && Integer.parseInt(parts[1]) == tp.partition()) {
                return Long.parseLong(parts[2]);
            }
        }
        return 0;
    }
}
