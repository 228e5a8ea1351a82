package io.weir.broker.internals.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogAppendInfo;
import io.weir.broker.internals.log.Shutdown;
import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit's contract, with the test thread as the append thread and a recording {@link
 * GroupCommitter.Syncer}: no acknowledgement and no high watermark before the sync that covers it has returned,
 * one sync for everything handed over while the previous one ran, failures confined to their log.
 */
class GroupCommitterTest {
    @TempDir
    Path dir;

    private final List<Log> logs = new ArrayList<>();
    private final ExecutorService parallel = Executors.newCachedThreadPool();
    /** (log, upTo) of every sync that returned, in the order they returned. */
    private final List<String> syncs = new CopyOnWriteArrayList<>();

    private final List<String> events = new CopyOnWriteArrayList<>();

    private GroupCommitter committer;

    @AfterEach
    void tearDown() {
        if (committer != null) {
            committer.close();
        }
        parallel.shutdownNow();
        logs.forEach(Log::close);
    }

    private Log log(int partition) throws IOException {
        Path logDir = Files.createDirectories(dir.resolve("p-" + partition));
        Log log = Log.open(
                logDir,
                new TopicPartition("gc", partition),
                LogConfig.DEFAULTS,
                ProducerStateConfig.DEFAULT,
                Time.SYSTEM,
                Shutdown.CLEAN);
        logs.add(log);
        return log;
    }

    private static ByteBuffer batch(String value) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        builder.append(1L, null, value.getBytes(), new Header[0]);
        return builder.build();
    }

    /** What the append thread does for one ring batch: append each, then hand the batch over. */
    private void appendAndHandOver(Log... batchLogs) {
        List<GroupCommitter.Ack> acks = new ArrayList<>();
        Map<Log, io.weir.broker.internals.log.PublishedOffsets> offsets = new LinkedHashMap<>();
        for (Log log : batchLogs) {
            LogAppendInfo info = log.append(batch("v"), AppendOrigin.CLIENT);
            acks.add(new GroupCommitter.Ack(log, (result, error) -> events.add(ack(log, result, error)), info, null));
            offsets.put(log, null);
        }
        offsets.replaceAll((log, none) -> log.offsetsToPublish());
        committer.handOver(new GroupCommitter.RingBatch(acks, offsets));
    }

    private String ack(Log log, LogAppendInfo result, RuntimeException error) {
        String state = error == null
                ? "ack " + log.topicPartition() + "@" + result.lastOffset()
                : "fail " + log.topicPartition() + " " + error.getClass().getSimpleName();
        // The high watermark an acknowledgement sees: the committer publishes before it acknowledges.
        return state + " hw=" + log.highWatermark();
    }

    private GroupCommitter.Syncer recording(GroupCommitter.Syncer delegate) {
        return (log, upTo) -> {
            delegate.sync(log, upTo);
            syncs.add(log.topicPartition() + "<" + upTo);
            events.add("synced " + log.topicPartition() + "<" + upTo);
        };
    }

    private void awaitEvents(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(events.size() >= count, "expected " + count + " events by now: " + events);
    }

    @Test
    void acknowledgesAndPublishesOnlyAfterTheSyncCoveringTheAppendReturned() throws Exception {
        Log log = log(0);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        committer = new GroupCommitter(
                "gc",
                recording((l, upTo) -> {
                    held.countDown();
                    await(release);
                    l.syncForGroupCommit(upTo);
                }),
                parallel,
                null,
                1024);
        appendAndHandOver(log);
        assertTrue(held.await(10, TimeUnit.SECONDS));

        assertEquals(List.of(), events, "nothing acknowledged while the sync runs");
        assertEquals(0, log.highWatermark(), "nothing visible while the sync runs");
        assertEquals(0, log.recoveryPoint());

        release.countDown();
        awaitEvents(2);
        assertEquals(List.of("synced gc-0<1", "ack gc-0@0 hw=1"), events);
        assertEquals(1, log.recoveryPoint());
    }

    @Test
    void oneSyncCoversEveryBatchHandedOverWhileThePreviousSyncRan() throws Exception {
        Log log = log(0);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        committer = new GroupCommitter(
                "gc",
                recording((l, upTo) -> {
                    if (held.getCount() > 0) {
                        held.countDown();
                        await(release);
                    }
                    l.syncForGroupCommit(upTo);
                }),
                parallel,
                null,
                1024);
        appendAndHandOver(log);
        assertTrue(held.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 10; i++) {
            appendAndHandOver(log); // ten ring batches while the first sync is held
        }
        release.countDown();
        awaitEvents(13);

        assertEquals(List.of("gc-0<1", "gc-0<11"), syncs, "one sync for the ten batches");
        List<String> expected = new ArrayList<>(List.of("synced gc-0<1", "ack gc-0@0 hw=1", "synced gc-0<11"));
        for (int i = 1; i <= 10; i++) {
            expected.add("ack gc-0@" + i + " hw=11");
        }
        assertEquals(expected, events, "each acknowledged after its sync, in append order");
    }

    @Test
    void aFailedSyncFailsOnlyItsLogsAcknowledgementsAndKeepsItsHighWatermark() throws Exception {
        Log failing = log(0);
        Log healthy = log(1);
        committer = new GroupCommitter(
                "gc",
                recording((l, upTo) -> {
                    if (l == failing) {
                        throw new KafkaStorageException("injected sync failure of " + l.topicPartition());
                    }
                    l.syncForGroupCommit(upTo);
                }),
                parallel,
                null,
                1024);
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        committer.handOver(new GroupCommitter.RingBatch(
                List.of(
                        new GroupCommitter.Ack(
                                failing,
                                (r, e) -> errors.add(e),
                                failing.append(batch("a"), AppendOrigin.CLIENT),
                                null),
                        new GroupCommitter.Ack(
                                healthy,
                                (r, e) -> {
                                    errors.add(e);
                                    events.add("healthy acknowledged");
                                },
                                healthy.append(batch("b"), AppendOrigin.CLIENT),
                                null)),
                Map.of(failing, failing.offsetsToPublish(), healthy, healthy.offsetsToPublish())));
        awaitEvents(2); // the healthy sync, then its acknowledgement

        assertInstanceOf(KafkaStorageException.class, errors.get(0));
        assertNull(errors.get(1));
        assertEquals(0, failing.highWatermark(), "an unsynced append never becomes visible");
        assertEquals(1, healthy.highWatermark());
    }

    @Test
    void syncsTheLogsOfAGroupInParallel() throws Exception {
        Log a = log(0);
        Log b = log(1);
        Log c = log(2);
        // Each sync waits until all three are syncing at once: only parallel syncs get through.
        CyclicBarrier allSyncing = new CyclicBarrier(3);
        committer = new GroupCommitter(
                "gc",
                recording((l, upTo) -> {
                    try {
                        allSyncing.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the syncs of one group did not run at once", e);
                    }
                    l.syncForGroupCommit(upTo);
                }),
                parallel,
                null,
                1024);
        appendAndHandOver(a, b, c);
        awaitEvents(6);
        assertEquals(3, syncs.size(), String.valueOf(events));
        assertEquals(List.of(1L, 1L, 1L), List.of(a.highWatermark(), b.highWatermark(), c.highWatermark()));
        assertTrue(events.subList(3, 6).stream().allMatch(e -> e.startsWith("ack ")), String.valueOf(events));
    }

    @Test
    void closeSyncsAndAcknowledgesEverythingHandedOver() throws Exception {
        Log log = log(0);
        committer = new GroupCommitter("gc", recording(Log::syncForGroupCommit), parallel, null, 1024);
        for (int i = 0; i < 5; i++) {
            appendAndHandOver(log);
        }
        committer.close();
        committer = null;
        assertEquals(5, events.stream().filter(e -> e.startsWith("ack ")).count(), String.valueOf(events));
        assertEquals(5, log.recoveryPoint());
        assertEquals(5, log.highWatermark());
    }

    @Test
    void aCallbackThrowingAnErrorDoesNotStopTheOtherAcknowledgementsOfItsGroup() throws Exception {
        Log a = log(0);
        Log b = log(1);
        committer = new GroupCommitter("gc", recording(Log::syncForGroupCommit), parallel, null, 1024);
        LogAppendInfo first = a.append(batch("v"), AppendOrigin.CLIENT);
        LogAppendInfo second = b.append(batch("v"), AppendOrigin.CLIENT);
        List<GroupCommitter.Ack> acks = List.of(
                new GroupCommitter.Ack(
                        a,
                        (result, error) -> {
                            throw new AssertionError("a callback's bug");
                        },
                        first,
                        null),
                new GroupCommitter.Ack(b, (result, error) -> events.add(ack(b, result, error)), second, null));
        Map<Log, io.weir.broker.internals.log.PublishedOffsets> offsets = new LinkedHashMap<>();
        offsets.put(a, a.offsetsToPublish());
        offsets.put(b, b.offsetsToPublish());
        committer.handOver(new GroupCommitter.RingBatch(acks, offsets));
        committer.close();
        committer = null;
        assertTrue(events.contains("ack gc-1@0 hw=1"), String.valueOf(events));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
