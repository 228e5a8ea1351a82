package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk.Op;
import io.weir.broker.internals.log.FileChannelFactory;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code log.flush.policy=every-batch}, an acknowledgement means the record is on disk: a power loss at any
 * instant keeps every record acknowledged before it. The {@link FaultyDisk} knows how much of each file its last
 * {@code force} covered; the test stops one sync of a segment mid-way (its data written, not yet forced), notes
 * there what was acknowledged and how much of every file was synced, lets the broker run on, crashes it, cuts
 * each segment back to its synced length of that instant, reopens the real files and finds every record noted.
 */
class GroupCommitDurabilityTest {
    private static final List<TopicPartition> PARTITIONS =
            List.of(new TopicPartition("d", 0), new TopicPartition("d", 1), new TopicPartition("d", 2));

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    private final Map<TopicPartition, List<String>> acked = new ConcurrentHashMap<>();
    private EmbeddedBroker broker;
    private int sent;

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyRecordAcknowledgedBeforeAPowerLossSurvivesIt() throws Exception {
        broker = EmbeddedBroker.open(config(), new MockTime(), disk);
        createTopic(broker.api(), "d", PARTITIONS.size(), Map.of());
        awaitAll(produceWave(40)); // acknowledged, so synced

        Map<TopicPartition, List<String>> ackedAtLoss = new LinkedHashMap<>();
        Map<Path, Long> syncedAtLoss = new ConcurrentHashMap<>();
        Map<Path, Long> writtenAtLoss = new ConcurrentHashMap<>();
        // The power fails while d-0's next sync is under way: its data is written, not yet forced.
        disk.holdOnce(Op.FORCE, path -> isSegmentOf(path, "d-0"), () -> {
            // Acknowledgements first, then the synced lengths: whatever was acknowledged by now was synced by now.
            PARTITIONS.forEach(tp -> ackedAtLoss.put(tp, List.copyOf(acked.getOrDefault(tp, List.of()))));
            syncedAtLoss.putAll(disk.syncedLengths());
            writtenAtLoss.putAll(segmentSizes());
        });
        awaitAll(produceWave(40));
        broker.crashForTesting();
        broker = null;

        Path d0 = segment("d-0");
        assertTrue(
                writtenAtLoss.get(d0) > syncedAtLoss.get(d0),
                "the loss drops written but unsynced data of d-0 (" + writtenAtLoss.get(d0) + " written, "
                        + syncedAtLoss.get(d0) + " synced)");
        for (Map.Entry<Path, Long> segment : segmentSizes().entrySet()) {
            try (FileChannel file = FileChannel.open(segment.getKey(), StandardOpenOption.WRITE)) {
                file.truncate(syncedAtLoss.get(segment.getKey()));
            }
        }

        broker = EmbeddedBroker.open(config(), new MockTime(), FileChannelFactory.SYSTEM);
        assertFalse(broker.openedAfterCleanShutdown());
        for (TopicPartition tp : PARTITIONS) {
            List<String> read = readAll(broker.api(), tp, 0);
            List<String> expected = ackedAtLoss.get(tp);
            assertTrue(expected.size() >= 40, tp + ": the first wave was acknowledged before the loss");
            assertEquals(
                    expected,
                    read.subList(0, Math.min(read.size(), expected.size())),
                    tp + ": every record acknowledged before the loss, in order, at the start of the log");
        }
    }

    private BrokerConfig config() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.LOG_FLUSH_POLICY, "every-batch");
        props.put(BrokerConfig.APPEND_RINGS, "1"); // the three partitions share one group commit
        props.put(BrokerConfig.LOG_CLEANER_ENABLE, "false");
        return BrokerConfig.from(props);
    }

    /** {@code perPartition} produce requests to each partition, all in flight at once. */
    private List<CompletableFuture<?>> produceWave(int perPartition) {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < perPartition; i++) {
            for (TopicPartition tp : PARTITIONS) {
                String value = "v" + ++sent;
                futures.add(broker.api()
                        .produce(new ProduceRequest((short) -1, 10_000, null, Map.of(tp, batch(value))))
                        .thenAccept(response -> {
                            ProduceResponse.PartitionResponse answer =
                                    response.partitions().get(tp);
                            if (answer.error().isSuccess()) {
                                // Completions of one partition arrive in offset order, on the one committer.
                                acked.computeIfAbsent(tp, k -> new CopyOnWriteArrayList<>())
                                        .add(value);
                            }
                        }));
            }
        }
        return futures;
    }

    private static void awaitAll(List<CompletableFuture<?>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private static ByteBuffer batch(String value) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        builder.append(1L, null, value.getBytes(StandardCharsets.UTF_8), new Header[0]);
        return builder.build();
    }

    private static boolean isSegmentOf(Path path, String partitionDir) {
        return path.getParent() != null
                && path.getParent().getFileName().toString().equals(partitionDir)
                && path.getFileName().toString().endsWith(".log");
    }

    private Path segment(String partitionDir) {
        return dir.resolve(partitionDir).resolve("00000000000000000000.log");
    }

    private Map<Path, Long> segmentSizes() {
        Map<Path, Long> sizes = new LinkedHashMap<>();
        try {
            for (TopicPartition tp : PARTITIONS) {
                Path segment = segment(tp.topic() + "-" + tp.partition());
                sizes.put(segment, Files.size(segment));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sizes;
    }
}
