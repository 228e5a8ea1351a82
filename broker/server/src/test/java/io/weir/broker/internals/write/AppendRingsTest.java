package io.weir.broker.internals.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.AppendWaitStrategy;
import io.weir.broker.FlushPolicy;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogAppendInfo;
import io.weir.broker.internals.log.Shutdown;
import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendRingsTest {
    private static final TopicPartition TP = new TopicPartition("ring", 0);

    @TempDir
    Path dir;

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

    @Test
    void appendsGoOnWhileASyncRunsAndTheNextSyncCoversThemAll() throws Exception {
        Log log = Log.open(dir, TP, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM, Shutdown.CLEAN);
        CountDownLatch firstSyncHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> syncs = new CopyOnWriteArrayList<>();
        AtomicLong durableUpTo = new AtomicLong();
        GroupCommitter.Syncer syncer = (l, upTo) -> {
            if (syncs.isEmpty()) {
                firstSyncHeld.countDown();
                awaitQuietly(release); // a slow fsync
            }
            l.syncForGroupCommit(upTo);
            syncs.add(upTo);
            durableUpTo.accumulateAndGet(upTo, Math::max);
        };
        AppendRings rings = new AppendRings(
                1, 64, AppendWaitStrategy.BLOCKING, FlushPolicy.EVERY_BATCH, tp -> {}, Time.SYSTEM, syncer);
        try {
            CountDownLatch done = new CountDownLatch(11);
            List<Long> offsets = new CopyOnWriteArrayList<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            AppendCallback callback = (info, error) -> {
                offsets.add(info.firstOffset());
                // Acknowledged only once synced and visible.
                if (durableUpTo.get() <= info.lastOffset() || log.highWatermark() <= info.lastOffset()) {
                    violations.add("offset " + info.lastOffset() + " acknowledged with " + durableUpTo.get()
                            + " synced and high watermark " + log.highWatermark());
                }
                done.countDown();
            };
            rings.append(log, batch("first"), callback, 1000);
            assertTrue(firstSyncHeld.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++) {
                rings.append(log, batch("v" + i), callback, 1000);
            }
            // The append thread does not wait for the sync: it writes the next group meanwhile.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (log.logEndOffset() < 11 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(11, log.logEndOffset(), "appended while the first sync was held");
            assertEquals(0, log.highWatermark(), "nothing visible before its sync returned");
            assertEquals(List.of(), offsets, "nothing acknowledged before its sync returned");
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(), violations);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), offsets, "acknowledged in order");
            // Everything written while the first sync ran is covered by the second: at most one sync per
            // ring batch that ended before the release, usually one in all.
            assertEquals(11L, syncs.get(syncs.size() - 1));
            assertTrue(syncs.size() <= 3, "the ten appends shared their syncs: " + syncs);
            assertEquals(11, log.recoveryPoint(), "the sync moved the recovery point over all of them");
        } finally {
            release.countDown();
            rings.close();
            log.close();
        }
    }

    @Test
    void fullRingTimesOutAfterMaxBlockWithAClearError() throws Exception {
        Log log = Log.open(dir, TP, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM, Shutdown.CLEAN);
        AppendRings rings = new AppendRings(1, 4, AppendWaitStrategy.BLOCKING, FlushPolicy.OS, tp -> {}, Time.SYSTEM);
        CountDownLatch release = new CountDownLatch(1);
        try {
            CountDownLatch handlerBusy = new CountDownLatch(1);
            rings.append(
                    log,
                    batch("blocker"),
                    (info, error) -> {
                        handlerBusy.countDown();
                        awaitQuietly(release);
                    },
                    1000);
            assertTrue(handlerBusy.await(10, TimeUnit.SECONDS));
            // The blocked event still holds its slot, so exactly ring-size more appends can be published
            // before one has to wait: whatever the number, the ring fills and the next append times out.
            TimeoutException timeout = null;
            for (int i = 0; i < 16 && timeout == null; i++) {
                try {
                    rings.append(log, batch("fill" + i), (info, error) -> {}, 50);
                } catch (TimeoutException e) {
                    timeout = e;
                }
            }
            assertTrue(timeout != null, "a full ring must refuse after max.block.ms");
            assertTrue(
                    timeout.getMessage().contains("ring-0")
                            && timeout.getMessage().contains("50 ms"),
                    timeout.getMessage());
        } finally {
            release.countDown();
            rings.close();
            log.close();
        }
    }

    @Test
    void appendErrorsReachTheirCallbackAndDoNotStopTheRing() throws Exception {
        Log log = Log.open(
                dir,
                TP,
                LogConfig.withOverrides(LogConfig.DEFAULTS, java.util.Map.of("max.message.bytes", "100")),
                ProducerStateConfig.DEFAULT,
                Time.SYSTEM,
                Shutdown.CLEAN);
        AppendRings rings = new AppendRings(1, 8, AppendWaitStrategy.BLOCKING, FlushPolicy.OS, tp -> {}, Time.SYSTEM);
        try {
            CountDownLatch done = new CountDownLatch(2);
            RuntimeException[] errors = new RuntimeException[2];
            LogAppendInfo[] infos = new LogAppendInfo[2];
            rings.append(
                    log,
                    batch("x".repeat(200)),
                    (info, error) -> {
                        errors[0] = error;
                        done.countDown();
                    },
                    1000);
            rings.append(
                    log,
                    batch("ok"),
                    (info, error) -> {
                        infos[1] = info;
                        errors[1] = error;
                        done.countDown();
                    },
                    1000);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertTrue(errors[0] instanceof io.weir.common.errors.RecordTooLargeException, String.valueOf(errors[0]));
            assertNull(errors[1]);
            assertEquals(0, infos[1].firstOffset(), "the refused batch took no offset");
        } finally {
            rings.close();
            log.close();
        }
    }

    @Test
    void appendAfterCloseFails() throws Exception {
        Log log = Log.open(dir, TP, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, Time.SYSTEM, Shutdown.CLEAN);
        AppendRings rings = new AppendRings(1, 8, AppendWaitStrategy.BLOCKING, FlushPolicy.OS, tp -> {}, Time.SYSTEM);
        rings.close();
        assertThrows(KafkaStorageException.class, () -> rings.append(log, batch("late"), (i, e) -> {}, 10));
        log.close();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
