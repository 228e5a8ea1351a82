package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.record.RecordBatches;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Recovery against random damage to a real data directory. A partition is written through a {@link LogManager},
 * which is closed cleanly or crashes (with or without a recovery-point checkpoint); then one file is damaged: a
 * bit flip, a truncation, random bytes or zeros appended, in the active or a rolled segment, an offset or time
 * index, a producer-state snapshot or the recovery-point checkpoint. Then, each step under a deadline so that a
 * spin fails rather than hangs:
 * <ul>
 *   <li>the open succeeds, or refuses with a {@link CorruptSegmentException} naming the damaged file;</li>
 *   <li>the log end offset is no offset that was never written, and every offset below it is served;</li>
 *   <li>reading from the log start, every record served is the one written at its offset, and a reader never
 *       stalls before the high watermark: each read moves on, or reports the damage (broker-side, naming the
 *       damaged file, or a CRC failure as a consumer with {@code check.crcs} sees it) where nothing at open
 *       looked: after a clean shutdown, or below the recovery point;</li>
 *   <li>damage that destroys no record (to an index, a snapshot, the checkpoint, or bytes appended after the
 *       last batch) loses no record;</li>
 *   <li>records appended after the open are all readable, at their offsets, after the next open; and every
 *       close succeeds.</li>
 * </ul>
 * Jqwik shrinks a failure toward fewer batches, the first kind of damage and the smallest position.
 */
class RecoveryProperties {
    private static final String TOPIC = "t";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final long PRODUCER_ID = 7;
    private static final long DEADLINE_SECONDS = 10;
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recovery-property");
        t.setDaemon(true); // a spinning step must not keep the JVM alive
        return t;
    });

    enum Stop {
        CLEAN,
        CRASH
    }

    enum Target {
        ACTIVE_LOG,
        ROLLED_LOG,
        OFFSET_INDEX,
        TIME_INDEX,
        SNAPSHOT,
        RECOVERY_CHECKPOINT
    }

    enum Kind {
        FLIP,
        TRUNCATE,
        APPEND_RANDOM,
        APPEND_ZEROS
    }

    /** What is done to one file: {@code where} (per mille of its size) picks the byte, {@code length} the bytes appended. */
    record Damage(Target target, Kind kind, int where, int mask, int length, long seed) {}

    /**
     * A directory's history: {@code batches} batches of {@code records} records of {@code valueSize} bytes in
     * segments of {@code segmentBytes}, from an idempotent producer or not (so that rebuilding the producer state
     * replays sequences); with {@code checkpoint}, the log is flushed after {@code flushAfter} batches and the
     * recovery points checkpointed, by the background tail flush ({@link LogManager#flushTails}) when {@code
     * tailFlush}; then it stops, and {@code damage} is done.
     */
    record Scenario(
            int batches,
            int records,
            int valueSize,
            int segmentBytes,
            boolean idempotent,
            Stop stop,
            boolean checkpoint,
            int flushAfter,
            boolean tailFlush,
            Damage damage) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Damage> damage = Combinators.combine(
                        Arbitraries.of(Target.class),
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 999),
                        Arbitraries.integers().between(1, 255),
                        Arbitraries.integers().between(1, 300),
                        Arbitraries.longs())
                .as(Damage::new);
        Arbitrary<int[]> sizes = Combinators.combine(
                        Arbitraries.integers().between(1, 14),
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 120),
                        Arbitraries.integers().between(200, 1500))
                .as((batches, records, valueSize, segmentBytes) ->
                        new int[] {batches, records, valueSize, segmentBytes});
        return Combinators.combine(
                        sizes,
                        Arbitraries.of(false, true),
                        Arbitraries.of(Stop.class),
                        Arbitraries.of(false, true),
                        Arbitraries.integers().between(0, 14),
                        Arbitraries.of(false, true),
                        damage)
                .as((n, idempotent, stop, checkpoint, flushAfter, tailFlush, d) ->
                        new Scenario(n[0], n[1], n[2], n[3], idempotent, stop, checkpoint, flushAfter, tailFlush, d));
    }

    @Property(tries = 300, seed = "20261207")
    void recoveryNeverHangsInventsOrHidesAnOffset(@ForAll("scenarios") Scenario scenario) throws Exception {
        run(scenario);
    }

    /** The same with random seeds and many more tries: {@code mvn verify -Dsoak}. */
    @Property(tries = 3000)
    @Tag("soak")
    void soakRecoveryNeverHangsInventsOrHidesAnOffset(@ForAll("scenarios") Scenario scenario) throws Exception {
        run(scenario);
    }

    @AfterContainer
    static void stopRunner() {
        RUNNER.shutdownNow();
    }

    private void run(Scenario s) throws Exception {
        Path dataDir = Files.createTempDirectory("recovery-property");
        try {
            World world = new World(dataDir, s);
            world.writeAndStop();
            Path damaged = world.damage();
            world.checkAfterOpen(damaged);
        } finally {
            LogTestSupport.deleteRecursively(dataDir);
        }
    }

    private static <T> T withinDeadline(String step, Callable<T> call) throws Exception {
        Future<T> future = RUNNER.submit(call);
        try {
            return future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            fail(step + " did not finish within " + DEADLINE_SECONDS + " s");
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static final class World {
        final Path dataDir;
        final Path partitionDir;
        final Scenario s;
        final MockTime time = new MockTime();
        final LogConfig defaults;
        /** Every record ever appended, by offset: its value. */
        final TreeMap<Long, String> written = new TreeMap<>();

        int counter;

        World(Path dataDir, Scenario s) {
            this.dataDir = dataDir;
            this.partitionDir = dataDir.resolve(TOPIC + "-0");
            this.s = s;
            this.defaults = LogConfig.DEFAULTS;
        }

        LogManager open() {
            return LogManager.open(dataDir, defaults, ProducerStateConfig.DEFAULT, time);
        }

        /** The segment holding the recovery point when it was checkpointed, and its size then. */
        Path flushedSegment;

        long flushedBytes;
        /** The byte {@link #damage} changed or cut the file at. */
        long damagedAt;

        Path newestSegment() {
            try (Stream<Path> list = Files.list(partitionDir)) {
                return list.filter(p -> p.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX))
                        .max(Comparator.naturalOrder())
                        .orElseThrow();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void writeAndStop() throws IOException {
            LogManager manager = open();
            manager.createTopic(
                    TOPIC,
                    1,
                    Map.of(
                            TopicConfig.SEGMENT_BYTES_CONFIG,
                            Integer.toString(s.segmentBytes()),
                            TopicConfig.INDEX_INTERVAL_BYTES_CONFIG,
                            "100"));
            Log log = manager.log(TP);
            for (int i = 0; i < s.batches(); i++) {
                append(log, s.idempotent() ? i * s.records() : -1);
                if (s.checkpoint() && i + 1 == Math.min(s.flushAfter(), s.batches())) {
                    if (s.tailFlush()) {
                        manager.flushTails(1);
                    } else {
                        log.flush();
                        manager.checkpointRecoveryPoints();
                    }
                    flushedSegment = newestSegment();
                    flushedBytes = Files.size(flushedSegment);
                }
            }
            if (s.stop() == Stop.CLEAN) {
                manager.close();
            } else {
                manager.crash();
            }
            if (!s.checkpoint()) {
                try {
                    Files.deleteIfExists(dataDir.resolve("recovery-point-offset-checkpoint"));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        /** Appends one batch, from the idempotent producer at {@code sequence} unless that is -1. */
        void append(Log log, int sequence) {
            RecordBatchBuilder builder = sequence < 0
                    ? new RecordBatchBuilder(
                            CompressionType.NONE,
                            RecordBatch.NO_PRODUCER_ID,
                            RecordBatch.NO_PRODUCER_EPOCH,
                            RecordBatch.NO_SEQUENCE,
                            false)
                    : new RecordBatchBuilder(CompressionType.NONE, PRODUCER_ID, (short) 0, sequence, false);
            String[] texts = new String[s.records()];
            for (int r = 0; r < s.records(); r++) {
                String text = "r" + counter++ + "-";
                texts[r] = text + "x".repeat(Math.max(0, s.valueSize() - text.length()));
                builder.append(time.milliseconds(), null, texts[r].getBytes(StandardCharsets.UTF_8), new Header[0]);
            }
            LogAppendInfo info = log.append(builder.build(), AppendOrigin.CLIENT);
            log.advanceHighWatermark();
            for (int r = 0; r < s.records(); r++) {
                written.put(info.firstOffset() + r, texts[r]);
            }
        }

        /** Damages the scenario's file; returns it, or null when the directory has no such file. */
        Path damage() throws IOException {
            Damage d = s.damage();
            Path file = pick(d.target());
            if (file == null) {
                return null;
            }
            long size = Files.size(file);
            long at = size == 0 ? 0 : d.where() * size / 1000;
            damagedAt = d.kind() == Kind.FLIP || d.kind() == Kind.TRUNCATE ? at : size;
            switch (d.kind()) {
                case FLIP -> {
                    if (size == 0) {
                        return null;
                    }
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.seek(at);
                        int b = raf.read();
                        raf.seek(at);
                        raf.write(b ^ d.mask());
                    }
                }
                case TRUNCATE -> {
                    if (size == 0) {
                        return null;
                    }
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(at);
                    }
                }
                case APPEND_RANDOM -> {
                    byte[] bytes = new byte[d.length()];
                    new Random(d.seed()).nextBytes(bytes);
                    Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
                }
                case APPEND_ZEROS -> Files.write(file, new byte[d.length()], java.nio.file.StandardOpenOption.APPEND);
            }
            return file;
        }

        private Path pick(Target target) throws IOException {
            if (target == Target.RECOVERY_CHECKPOINT) {
                Path checkpoint = dataDir.resolve("recovery-point-offset-checkpoint");
                return Files.exists(checkpoint) ? checkpoint : null;
            }
            String suffix =
                    switch (target) {
                        case ACTIVE_LOG, ROLLED_LOG -> LogSegment.LOG_SUFFIX;
                        case OFFSET_INDEX -> LogSegment.INDEX_SUFFIX;
                        case TIME_INDEX -> LogSegment.TIME_INDEX_SUFFIX;
                        default -> ProducerStateSnapshots.SUFFIX;
                    };
            List<Path> files;
            try (Stream<Path> list = Files.list(partitionDir)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(suffix))
                        .sorted(Comparator.naturalOrder())
                        .toList();
            }
            if (files.isEmpty()) {
                return null;
            }
            if (target == Target.ACTIVE_LOG) {
                return files.get(files.size() - 1);
            }
            if (target == Target.ROLLED_LOG) {
                return files.size() < 2 ? null : files.get(s.damage().where() % (files.size() - 1));
            }
            return files.get(s.damage().where() % files.size());
        }

        /** Whether damage to {@code file} may be found only when read: nothing at open looked at it. */
        boolean foundOnlyWhenRead(Path file) {
            if (file == null || !file.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX)) {
                return false;
            }
            // After a crash the bytes below the recovery point are trusted as synced: the segment holding it is
            // checked only from its last indexed batch below it (LogSegment.recoverAfter).
            boolean belowRecoveryPoint = s.checkpoint() && file.equals(flushedSegment) && damagedAt < flushedBytes;
            return s.stop() == Stop.CLEAN
                    || (s.checkpoint() && s.damage().target() == Target.ROLLED_LOG)
                    || belowRecoveryPoint;
        }

        /** Whether the damage can have destroyed a record: a flip or a cut of a segment file. */
        boolean mayLoseRecords(Path file) {
            return file != null
                    && file.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX)
                    && (s.damage().kind() == Kind.FLIP || s.damage().kind() == Kind.TRUNCATE);
        }

        void checkAfterOpen(Path damaged) throws Exception {
            String where = " (" + s + ", damaged " + damaged + ")";
            LogManager manager = withinDeadline("open", this::open);
            Log log;
            try {
                // The partition opens on first use: this is where its files are read.
                log = withinDeadline("open of the partition", () -> manager.log(TP));
            } catch (CorruptSegmentException e) {
                manager.crash();
                assertTrue(
                        foundOnlyWhenRead(damaged) && e.file().equals(damaged),
                        "the open refused, naming " + e.file() + ": " + e.getMessage() + where);
                return;
            }
            long end = log.logEndOffset();
            long writtenEnd = written.isEmpty() ? 0 : written.lastKey() + 1;
            assertTrue(
                    end <= writtenEnd,
                    "log end offset " + end + " was never written (written up to " + writtenEnd + ")" + where);
            ReadOutcome read = withinDeadline("read", () -> readAndCheck(log, log.logStartOffset(), where));
            if (read.damageFound() != null) {
                assertTrue(foundOnlyWhenRead(damaged), "damage reported at read: " + read.damageFound() + where);
            } else {
                assertEquals(
                        end - log.logStartOffset(),
                        read.records(),
                        "every offset below the log end offset is served," + " so a valid batch backs it" + where);
            }
            if (!mayLoseRecords(damaged)) {
                assertEquals(writtenEnd, end, "no record was destroyed, none may be lost" + where);
                assertEquals(null, read.damageFound(), "no record was destroyed" + where);
            }
            // Forget what the open dropped; what is appended now must come back whole after the next open.
            written.tailMap(end).clear();
            long appendedFrom = end;
            for (int i = 0; i < 3; i++) {
                append(log, -1); // the idempotent producer's state may have lost batches with the cut
            }
            withinDeadline("close", () -> {
                manager.close();
                return null;
            });
            LogManager again = withinDeadline("reopen", this::open);
            Log reopened = again.log(TP);
            assertEquals(written.lastKey() + 1, reopened.logEndOffset(), "the appended records are all there" + where);
            ReadOutcome appended =
                    withinDeadline("read after reopen", () -> readAndCheck(reopened, appendedFrom, where));
            assertEquals(null, appended.damageFound(), "the appended records read back" + where);
            assertEquals(
                    written.tailMap(appendedFrom).size(), appended.records(), "records read after the reopen" + where);
            withinDeadline("close after reopen", () -> {
                again.close();
                return null;
            });
        }

        record ReadOutcome(int records, String damageFound) {}

        /**
         * Reads from {@code from} to the high watermark in small fetches, checking every record against what was
         * written at its offset and every batch's CRC, as a consumer does; stops at damage it is told of.
         */
        ReadOutcome readAndCheck(Log log, long from, String where) {
            long next = from;
            int records = 0;
            while (next < log.highWatermark()) {
                ByteBuffer batches;
                try {
                    batches = log.read(next, 200, true).batches();
                } catch (CorruptSegmentException e) {
                    return new ReadOutcome(records, e.file() + " at byte " + e.position() + ": " + e.getMessage());
                }
                if (!batches.hasRemaining()) {
                    fail("the read at " + next + " returned nothing below the high watermark " + log.highWatermark()
                            + where);
                }
                for (RecordBatch batch : RecordBatches.iterable(batches)) {
                    try {
                        batch.ensureValid();
                    } catch (CorruptRecordException e) {
                        return new ReadOutcome(records, "a consumer's CRC check: " + e.getMessage());
                    }
                    for (Record record : batch) {
                        if (record.offset() < next) {
                            continue;
                        }
                        String value =
                                StandardCharsets.UTF_8.decode(record.value()).toString();
                        assertEquals(
                                written.get(record.offset()), value, "the record at offset " + record.offset() + where);
                        records++;
                    }
                    assertTrue(
                            batch.lastOffset() >= next,
                            "a batch ending at " + batch.lastOffset() + " was served for offset " + next + where);
                    next = batch.lastOffset() + 1;
                }
            }
            return new ReadOutcome(records, null);
        }
    }
}
