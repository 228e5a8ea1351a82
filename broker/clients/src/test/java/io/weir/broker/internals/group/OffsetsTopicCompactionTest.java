package io.weir.broker.internals.group;

import static io.weir.broker.TestFutures.assertFails;
import static io.weir.broker.TestFutures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.broker.TransactionTestSupport;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.GroupIdNotFoundException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.MockTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code __consumer_offsets} under the log cleaner, end to end: consumers commit through a real broker on real
 * files, small {@code offsets.topic.segment.bytes} makes segments roll, {@link EmbeddedBroker#runLogCleaner()}
 * compacts them (the cleaner's own threads are off), and a clean or crashed restart must rebuild every group's
 * latest offsets from what compaction left. The broker runs on a manual clock so that the delete horizon of
 * tombstones and markers ({@code delete.retention.ms}) passes only when a test says so.
 */
class OffsetsTopicCompactionTest {
    private static final int SEGMENT_BYTES = 16 * 1024;
    private static final int OFFSETS_PARTITIONS = 3;
    private static final long DELETE_RETENTION_MS = 60_000;
    private static final long WAIT_SECONDS = 30;
    private static final String INPUT = "in";
    private static final List<TopicPartition> INPUT_PARTITIONS =
            IntStream.range(0, 4).mapToObj(p -> new TopicPartition(INPUT, p)).toList();
    /** One group per offsets partition: their Java string hashes modulo 3 are 2, 1 and 0. */
    private static final List<String> GROUPS = List.of("orders", "billing", "reports");

    private static final int ROUNDS = 2000;
    /**
     * An upper bound on one live offset record as the cleaner may leave it: alone in a rewritten batch (61 bytes of
     * header) with its key, value and metadata (well under 140 bytes here).
     */
    private static final int LIVE_RECORD_BOUND = 61 + 140;
    /** The cleaner ends a cleaned segment whose last batches all went with a placeholder batch of this size. */
    private static final int PLACEHOLDER_BYTES = RecordBatch.HEADER_SIZE;

    enum Restart {
        CLEAN,
        CRASH
    }

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private EmbeddedBroker broker;
    private Admin admin;
    /** What each group committed last: what listConsumerGroupOffsets must return. */
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> expected = new TreeMap<>();
    /** Every commit gets a new offset, so a stale value can never pass for the latest. */
    private long nextOffset;
    /** offsets.topic.segment.bytes of the next open; it counts only until the offsets topic exists. */
    private int segmentBytes = SEGMENT_BYTES;

    private BrokerConfig config() {
        Map<String, Object> p = new HashMap<>();
        p.put(BrokerConfig.LOG_DIRS, dir.toString());
        p.put(BrokerConfig.LOG_CLEANER_ENABLE, false);
        p.put(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES, segmentBytes);
        p.put(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, OFFSETS_PARTITIONS);
        p.put(BrokerConfig.LOG_CLEANER_DELETE_RETENTION_MS, DELETE_RETENTION_MS);
        // Cleaned-away segments go right after the pass, so the files on disk are what the log holds.
        p.put(BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS, 0L);
        return BrokerConfig.from(p);
    }

    @BeforeEach
    void open() throws Exception {
        broker = EmbeddedBroker.open(config(), time);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        await(admin.createTopics(List.of(new NewTopic(INPUT, INPUT_PARTITIONS.size(), Map.of())))
                .all());
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    private void restart(Restart how) {
        admin.close();
        if (how == Restart.CRASH) {
            broker.crashForTesting();
        }
        broker.close();
        broker = EmbeddedBroker.open(config(), time);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        assertEquals(how == Restart.CLEAN, broker.openedAfterCleanShutdown());
    }

    /**
     * Reopens the broker, before the offsets topic exists, with segments so small that every batch rolls one:
     * then the last batch of a partition, and only it, is in the active segment, which the cleaner leaves alone.
     */
    private void useOneBatchSegments() {
        segmentBytes = 14;
        restart(Restart.CLEAN);
    }

    private Producer<String, String> transactionalProducer(String transactionalId) {
        return Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .transactionalId(transactionalId)
                        .lingerMs(0)
                        .build(),
                new StringSerializer(),
                new StringSerializer());
    }

    private void awaitTransactionState(String transactionalId, String state) throws Exception {
        TransactionTestSupport.awaitState(broker.api(), transactionalId, state);
    }

    // ---- committing ---------------------------------------------------------------------------------------

    /** Each group commits {@code partitions} of the input topic {@code rounds} times, one commitSync per round. */
    private void commitRounds(List<String> groups, List<TopicPartition> partitions, int rounds) {
        List<Consumer<String, String>> consumers = new ArrayList<>();
        try {
            for (String group : groups) {
                Consumer<String, String> c = Consumer.create(
                        Map.of(
                                "bootstrap.servers",
                                broker.bootstrapServers(),
                                "group.id",
                                group,
                                "enable.auto.commit",
                                "false"),
                        new StringDeserializer(),
                        new StringDeserializer());
                consumers.add(c);
                c.assign(partitions);
            }
            for (int round = 0; round < rounds; round++) {
                for (int g = 0; g < groups.size(); g++) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        offsets.put(tp, new OffsetAndMetadata(nextOffset++, groups.get(g) + " round " + round));
                    }
                    consumers.get(g).commitSync(offsets);
                    expected.computeIfAbsent(groups.get(g), k -> new HashMap<>())
                            .putAll(offsets);
                }
            }
        } finally {
            consumers.forEach(Consumer::close);
        }
    }

    private void assertEveryGroupHasItsLatestOffsets() {
        for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> group : expected.entrySet()) {
            assertEquals(
                    group.getValue(),
                    await(admin.listConsumerGroupOffsets(group.getKey())),
                    "the committed offsets of group " + group.getKey());
        }
    }

    // ---- the offsets topic on disk ------------------------------------------------------------------------

    /**
     * The offsets topic on disk: its segments' {@code .log} files, all its files (indexes, producer snapshots),
     * and how many segments.
     */
    private record DiskUsage(long logBytes, long allBytes, int segments) {}

    private DiskUsage offsetsTopicOnDisk() {
        try (Stream<Path> files = Files.walk(dir)) {
            long logBytes = 0;
            long allBytes = 0;
            int segments = 0;
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().startsWith(OffsetsTopicStore.TOPIC + "-"))
                    .toList()) {
                long size = Files.size(f);
                allBytes += size;
                if (f.getFileName().toString().endsWith(".log")) {
                    logBytes += size;
                    segments++;
                }
            }
            return new DiskUsage(logBytes, allBytes, segments);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The group ids of every offset and group record left in the offsets topic, tombstones included. */
    private List<String> groupsInOffsetsTopic() throws Exception {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < OFFSETS_PARTITIONS; p++) {
            for (RecordBatch batch :
                    TransactionTestSupport.batches(broker.api(), new TopicPartition(OffsetsTopicStore.TOPIC, p))) {
                if (batch.isControl()) {
                    continue;
                }
                for (Record r : batch) {
                    out.add(GroupRecordSerde.read(r.key(), r.value(), r.offset())
                            .groupId());
                }
            }
        }
        return out;
    }

    // ---- tests --------------------------------------------------------------------------------------------

    @Test
    void offsetsTopicIsCreatedWithOffsetsTopicSegmentBytesWhoseDefaultIsKafkas() throws Exception {
        commitRounds(GROUPS.subList(0, 1), INPUT_PARTITIONS, 1);

        var topic = broker.api()
                .metadata(new MetadataRequest(List.of(OffsetsTopicStore.TOPIC), false))
                .get(WAIT_SECONDS, TimeUnit.SECONDS)
                .topics()
                .get(OffsetsTopicStore.TOPIC);

        assertEquals("compact", topic.configs().get("cleanup.policy"));
        assertEquals(Integer.toString(SEGMENT_BYTES), topic.configs().get("segment.bytes"));
        assertEquals(104_857_600, BrokerConfig.defaults().groups().offsetsTopicSegmentBytes());
        InvalidConfigurationException e = assertThrows(
                InvalidConfigurationException.class,
                () -> BrokerConfig.from(Map.of(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES, 13)));
        assertTrue(e.getMessage().contains(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES), e.getMessage());
    }

    @Test
    void offsetsTopicStaysSmallThroughRoundsOfCommitsAndCleaning() {
        int liveKeys = GROUPS.size() * INPUT_PARTITIONS.size();
        List<Integer> segmentsAfter = new ArrayList<>();
        for (int cycle = 0; cycle < 4; cycle++) {
            commitRounds(GROUPS, INPUT_PARTITIONS, cycle == 0 ? ROUNDS : ROUNDS / 4);
            DiskUsage before = offsetsTopicOnDisk();

            int passes = broker.runLogCleaner();

            DiskUsage after = offsetsTopicOnDisk();
            // What may stay: each partition's active segment, which the cleaner never touches, a placeholder at
            // most per segment, and the live records.
            long bound = (long) OFFSETS_PARTITIONS * SEGMENT_BYTES
                    + (long) after.segments() * PLACEHOLDER_BYTES
                    + (long) liveKeys * LIVE_RECORD_BOUND;
            String sizes = "cycle " + cycle + ": before " + before + ", after " + after + " (" + passes
                    + " passes), bound " + bound;
            assertTrue(before.segments() > 10 * OFFSETS_PARTITIONS, "the commits rolled many segments: " + sizes);
            assertTrue(passes >= OFFSETS_PARTITIONS, sizes);
            assertTrue(after.logBytes() <= bound, sizes);
            assertTrue(
                    after.allBytes() * 10 < before.allBytes(), "under a tenth of the size before cleaning: " + sizes);
            assertEveryGroupHasItsLatestOffsets();
            segmentsAfter.add(after.segments());
        }
        // Segments emptied by one pass are merged by the next, so equal cycles leave as many segments.
        assertTrue(
                segmentsAfter.get(3) <= segmentsAfter.get(1) + OFFSETS_PARTITIONS,
                "segments after each cycle: " + segmentsAfter);
    }

    @ParameterizedTest
    @EnumSource(Restart.class)
    void restartAfterCompactionFindsEveryGroupsLatestOffsets(Restart restart) {
        commitRounds(GROUPS, INPUT_PARTITIONS, ROUNDS);
        broker.runLogCleaner();

        restart(restart);

        assertEveryGroupHasItsLatestOffsets();
    }

    @Test
    void offsetsCommittedAfterCompactionAreRecoveredWithTheCompactedOnes() {
        commitRounds(GROUPS, INPUT_PARTITIONS, ROUNDS);
        broker.runLogCleaner();
        // Enough to roll segments again, but only for some groups and partitions: the others' latest offsets
        // stay in the segments the first pass wrote.
        commitRounds(GROUPS.subList(0, 2), INPUT_PARTITIONS.subList(0, 2), ROUNDS / 4);
        broker.runLogCleaner();
        commitRounds(GROUPS.subList(1, 3), INPUT_PARTITIONS.subList(1, 3), 3);

        restart(Restart.CRASH);

        assertEveryGroupHasItsLatestOffsets();
    }

    @Test
    void deletedGroupStaysDeletedAfterCompactionAndARestartAndOnceItsTombstonesAreGone() throws Exception {
        String gone = "gone"; // on the offsets partition of "orders"
        commitRounds(List.of(gone), INPUT_PARTITIONS, ROUNDS / 4);
        commitRounds(GROUPS, INPUT_PARTITIONS, ROUNDS / 4);
        await(admin.deleteConsumerGroups(List.of(gone)).all());
        expected.remove(gone);
        commitRounds(GROUPS, INPUT_PARTITIONS, ROUNDS / 4); // rolls the segment holding the tombstones
        broker.runLogCleaner();
        assertTrue(groupsInOffsetsTopic().contains(gone), "its tombstones stay until the delete horizon");

        restart(Restart.CLEAN);
        assertGroupIsGone(gone);

        time.sleep(DELETE_RETENTION_MS + 1);
        commitRounds(GROUPS, INPUT_PARTITIONS, ROUNDS / 4); // dirties the logs, so the cleaner takes them again
        broker.runLogCleaner();
        assertFalse(groupsInOffsetsTopic().contains(gone), "past the delete horizon its tombstones went too");

        restart(Restart.CRASH);
        assertGroupIsGone(gone);
        assertEveryGroupHasItsLatestOffsets();
    }

    private void assertGroupIsGone(String group) {
        assertEquals(Map.of(), await(admin.listConsumerGroupOffsets(group)));
        assertFails(
                GroupIdNotFoundException.class,
                admin.describeConsumerGroups(List.of(group)).values().get(group));
        for (ConsumerGroupListing listing : await(admin.listConsumerGroups())) {
            assertNotEquals(group, listing.groupId(), "listed: " + listing);
        }
    }

    @Test
    void abortedTransactionalOffsetsStayAbortedAndCommittedOnesStayCommittedThroughCompaction() throws Exception {
        String group = "copier"; // on the offsets partition of "billing"
        String transactionalId = "copier-txn";
        commitRounds(List.of(group), INPUT_PARTITIONS, ROUNDS / 4);
        Map<TopicPartition, OffsetAndMetadata> committedInTxn = Map.of(
                INPUT_PARTITIONS.get(0), new OffsetAndMetadata(nextOffset++, "committed in a transaction"),
                INPUT_PARTITIONS.get(1), new OffsetAndMetadata(nextOffset++, "committed in a transaction"));
        Map<TopicPartition, OffsetAndMetadata> abortedInTxn = Map.of(
                INPUT_PARTITIONS.get(0), new OffsetAndMetadata(nextOffset++, "aborted"),
                INPUT_PARTITIONS.get(2), new OffsetAndMetadata(nextOffset++, "aborted"));
        try (Producer<String, String> producer = transactionalProducer(transactionalId)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(committedInTxn, new ConsumerGroupMetadata(group));
            producer.commitTransaction();
            awaitTransactionState(transactionalId, "CompleteCommit");
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(abortedInTxn, new ConsumerGroupMetadata(group));
            producer.abortTransaction();
            awaitTransactionState(transactionalId, "CompleteAbort");
        }
        expected.get(group).putAll(committedInTxn);
        assertEveryGroupHasItsLatestOffsets();
        commitRounds(List.of("billing"), INPUT_PARTITIONS, ROUNDS / 4); // rolls the segment holding the markers
        broker.runLogCleaner();

        restart(Restart.CRASH);
        assertEveryGroupHasItsLatestOffsets();

        time.sleep(DELETE_RETENTION_MS + 1);
        commitRounds(List.of("billing"), INPUT_PARTITIONS, ROUNDS / 4); // dirties the log again
        broker.runLogCleaner(); // past the horizon: markers whose transactions left nothing may go now

        restart(Restart.CLEAN);
        assertEveryGroupHasItsLatestOffsets();
    }

    @Test
    void abortedTransactionalOffsetsGoWhileTheirAbortMarkerIsStillInTheActiveSegment() throws Exception {
        useOneBatchSegments();
        String group = "copier";
        TopicPartition tp = INPUT_PARTITIONS.get(0);
        commitRounds(List.of(group), List.of(tp), 1);
        OffsetAndMetadata committed = new OffsetAndMetadata(nextOffset++, "committed in a transaction");
        try (Producer<String, String> producer = transactionalProducer("copier-txn")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(tp, committed), new ConsumerGroupMetadata(group));
            producer.commitTransaction();
            awaitTransactionState("copier-txn", "CompleteCommit");
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(
                    Map.of(tp, new OffsetAndMetadata(nextOffset++, "aborted")), new ConsumerGroupMetadata(group));
            producer.abortTransaction();
            awaitTransactionState("copier-txn", "CompleteAbort");
        }
        expected.get(group).put(tp, committed);
        // The aborted offset's batch is cleanable, its marker is not: the cleaner must still know it aborted,
        // or the aborted offset would count as the latest of its key and the committed one before it would go.
        assertTrue(broker.runLogCleaner() > 0);

        restart(Restart.CRASH);

        assertEveryGroupHasItsLatestOffsets();
    }

    @Test
    void transactionalOffsetsStillPendingWhenTheCleanerRunsAreCommittedLater() throws Exception {
        useOneBatchSegments();
        String group = "copier";
        commitRounds(List.of(group), INPUT_PARTITIONS, 3);
        Map<TopicPartition, OffsetAndMetadata> pending =
                Map.of(INPUT_PARTITIONS.get(1), new OffsetAndMetadata(nextOffset++, "pending in a transaction"));
        try (Producer<String, String> producer = transactionalProducer("copier-txn")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(pending, new ConsumerGroupMetadata(group));
            // More batches behind the open transaction on the same offsets partition, in rolled segments.
            commitRounds(List.of("billing"), INPUT_PARTITIONS, 5);
            assertTrue(broker.runLogCleaner() > 0);
            producer.commitTransaction();
            awaitTransactionState("copier-txn", "CompleteCommit");
        }
        expected.get(group).putAll(pending);
        commitRounds(List.of("billing"), INPUT_PARTITIONS, 2);
        broker.runLogCleaner();

        restart(Restart.CRASH);

        assertEveryGroupHasItsLatestOffsets();
    }

    // ---- futures ------------------------------------------------------------------------------------------

}
