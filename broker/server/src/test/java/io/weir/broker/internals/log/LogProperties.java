package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.record.Record;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The partition log against a model: a list of appended batches. Random sequences of appends (random record
 * counts and sizes), forced rolls, retention passes, clock advances, clean reopen, and crash-reopen — where
 * the crash cuts the active segment at a random byte, or flips a random bit in a random batch of it not wholly
 * below the recovery point (below it the bytes were synced, and recovery trusts them) — are
 * applied to both. After every step the log must hold exactly the model's records, offsets contiguous from
 * the log start; after a crash exactly the longest valid prefix survives.
 */
class LogProperties {
    private static final TopicPartition TP = new TopicPartition("model", 0);

    sealed interface Op permits Append, Roll, Retention, Advance, Reopen, CrashCut, CrashFlip {}

    record Append(int records, int valueSize) implements Op {}

    record Roll() implements Op {}

    record Retention() implements Op {}

    record Advance(long ms) implements Op {}

    record Reopen() implements Op {}

    /** Crash, then cut the active segment to {@code fraction} of its length. */
    record CrashCut(double fraction) implements Op {}

    /**
     * Crash, then flip one bit of one batch of the active segment: in its base offset (outside the CRC,
     * caught by offset continuity), its magic byte, or anywhere in the CRC-covered part. Not the length and
     * leader-epoch fields: a flipped length is caught too, but may swallow later batches in ways the model
     * would have to re-derive, and the leader epoch is not checked by design.
     */
    record CrashFlip(double batchFraction, double byteFraction, int bit) implements Op {}

    /** A batch the model believes is in the log. */
    record ModelBatch(long baseOffset, int size, List<byte[]> values) {
        long lastOffset() {
            return baseOffset + values.size() - 1;
        }
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        10,
                        Combinators.combine(
                                        Arbitraries.integers().between(1, 8),
                                        Arbitraries.integers().between(0, 300))
                                .as(Append::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Roll())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Retention())),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 40_000).map(Advance::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Reopen())),
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(0, 1).map(CrashCut::new)),
                net.jqwik.api.Tuple.of(
                        1,
                        Combinators.combine(
                                        Arbitraries.doubles().between(0, 1),
                                        Arbitraries.doubles().between(0, 1),
                                        Arbitraries.integers().between(0, 7))
                                .as(CrashFlip::new)));
    }

    @Property(tries = 150, seed = "20261121")
    void logHoldsExactlyTheLongestValidPrefix(
            @ForAll @Size(min = 1, max = 40) List<@net.jqwik.api.From("ops") Op> ops,
            @ForAll("retentionBytes") long retentionBytes)
            throws IOException {
        Path dir = Files.createTempDirectory("weir-log-prop-");
        MockTime time = new MockTime();
        LogConfig config = LogConfig.withOverrides(
                LogConfig.DEFAULTS,
                Map.of(
                        TopicConfig.SEGMENT_BYTES_CONFIG,
                        "2048",
                        TopicConfig.INDEX_INTERVAL_BYTES_CONFIG,
                        "200",
                        TopicConfig.RETENTION_MS_CONFIG,
                        "60000",
                        TopicConfig.RETENTION_BYTES_CONFIG,
                        Long.toString(retentionBytes),
                        TopicConfig.FILE_DELETE_DELAY_MS_CONFIG,
                        "0"));
        Log log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.CLEAN);
        List<ModelBatch> model = new ArrayList<>();
        int seed = 0;
        try {
            for (Op op : ops) {
                long startBefore = log.logStartOffset();
                if (op instanceof Append a) {
                    List<byte[]> values = new ArrayList<>();
                    for (int i = 0; i < a.records(); i++) {
                        values.add(LogTestSupport.value(a.valueSize(), seed++));
                    }
                    var buffer = LogTestSupport.batch(time.milliseconds(), values.toArray(new byte[0][]));
                    int size = buffer.remaining();
                    LogAppendInfo info = log.append(buffer, AppendOrigin.CLIENT);
                    log.advanceHighWatermark();
                    assertEquals(
                            model.isEmpty()
                                    ? log.logStartOffset()
                                    : model.get(model.size() - 1).lastOffset() + 1,
                            info.firstOffset(),
                            "offsets must continue from the log end");
                    model.add(new ModelBatch(info.firstOffset(), size, values));
                } else if (op instanceof Roll) {
                    log.roll();
                } else if (op instanceof Advance adv) {
                    time.sleep(adv.ms());
                } else if (op instanceof Retention) {
                    for (DeletedSegment deleted : log.deleteRetainedSegments()) {
                        deleted.deleteFiles();
                    }
                    long start = log.logStartOffset();
                    assertTrue(start >= startBefore, "log start offset never moves back");
                    model.removeIf(b -> b.lastOffset() < start);
                    if (retentionBytes >= 0 && log.numberOfSegments() > 1) {
                        // The oldest remaining segment is kept only because removing it would go below the limit.
                        long firstSegmentBytes = sizeOfFirstSegment(log, model);
                        assertTrue(log.size() - firstSegmentBytes < retentionBytes, "retention.bytes respected");
                    }
                } else if (op instanceof Reopen) {
                    log.close();
                    log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.CLEAN);
                } else if (op instanceof CrashCut cut) {
                    long recoveryPoint = log.recoveryPoint();
                    List<Long> bases = log.segmentBaseOffsets();
                    log.closeWithoutFlush();
                    long activeBase = bases.get(bases.size() - 1);
                    Path file = dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX));
                    long length = Files.size(file);
                    long keep = (long) Math.floor(length * cut.fraction());
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(keep);
                    }
                    model = survivors(model, activeBase, keep);
                    log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.crash(recoveryPoint));
                } else if (op instanceof CrashFlip flip) {
                    long recoveryPoint = log.recoveryPoint();
                    List<Long> bases = log.segmentBaseOffsets();
                    log.closeWithoutFlush();
                    long activeBase = bases.get(bases.size() - 1);
                    List<ModelBatch> inActive = model.stream()
                            .filter(b -> b.baseOffset() >= activeBase)
                            .toList();
                    // Only batches not wholly below the recovery point: the bytes below it were synced and recovery
                    // trusts them (LogSegment.recoverAfter; RecoveryProperties covers damage there).
                    int unsynced = 0;
                    while (unsynced < inActive.size() && inActive.get(unsynced).lastOffset() < recoveryPoint) {
                        unsynced++;
                    }
                    if (unsynced < inActive.size()) {
                        int candidates = inActive.size() - unsynced;
                        int victim = unsynced
                                + (int) Math.min(candidates - 1, Math.floor(candidates * flip.batchFraction()));
                        long position = 0;
                        for (int i = 0; i < victim; i++) {
                            position += inActive.get(i).size();
                        }
                        ModelBatch target = inActive.get(victim);
                        // Flippable bytes: base offset 0..7, magic 16, CRC 17..20 and the covered part 21..end.
                        int flippable = 8 + (target.size() - 16);
                        int pick = (int) Math.min(flippable - 1, Math.floor(flippable * flip.byteFraction()));
                        long at = position + (pick < 8 ? pick : 16 + (pick - 8));
                        Path file = dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX));
                        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                            raf.seek(at);
                            int b = raf.read();
                            raf.seek(at);
                            raf.write(b ^ (1 << flip.bit()));
                        }
                        model = survivors(model, activeBase, position);
                    }
                    log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.crash(recoveryPoint));
                }
                checkAgainstModel(log, model);
            }
        } finally {
            log.close();
            LogTestSupport.deleteRecursively(dir);
        }
    }

    @Provide
    Arbitrary<Long> retentionBytes() {
        return Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(1000, 8000));
    }

    /** The model after the active segment (from {@code activeBase}) keeps only its first {@code keepBytes}. */
    private static List<ModelBatch> survivors(List<ModelBatch> model, long activeBase, long keepBytes) {
        List<ModelBatch> out = new ArrayList<>();
        long position = 0;
        for (ModelBatch batch : model) {
            if (batch.baseOffset() < activeBase) {
                out.add(batch);
                continue;
            }
            if (position + batch.size() > keepBytes) {
                break;
            }
            position += batch.size();
            out.add(batch);
        }
        return out;
    }

    private static long sizeOfFirstSegment(Log log, List<ModelBatch> model) {
        List<Long> bases = log.segmentBaseOffsets();
        long firstEnd = bases.size() > 1 ? bases.get(1) : Long.MAX_VALUE;
        return model.stream()
                .filter(b -> b.baseOffset() < firstEnd)
                .mapToLong(ModelBatch::size)
                .sum();
    }

    private static void checkAgainstModel(Log log, List<ModelBatch> model) {
        long expectedEnd = model.isEmpty()
                ? log.logStartOffset()
                : model.get(model.size() - 1).lastOffset() + 1;
        assertEquals(expectedEnd, log.logEndOffset(), "log end offset");
        assertEquals(expectedEnd, log.highWatermark(), "high watermark");
        long expectedStart =
                model.isEmpty() ? log.logStartOffset() : model.get(0).baseOffset();
        assertEquals(expectedStart, log.logStartOffset(), "log start offset");
        List<Record> records = LogTestSupport.readAll(log, log.logStartOffset(), 700);
        List<byte[]> expected = new ArrayList<>();
        model.forEach(b -> expected.addAll(b.values()));
        assertEquals(expected.size(), records.size(), "record count");
        for (int i = 0; i < records.size(); i++) {
            assertEquals(
                    log.logStartOffset() + i, records.get(i).offset(), "offsets are contiguous from the log start");
            assertArrayEquals(
                    expected.get(i),
                    records.get(i).valueBytes(),
                    "value at offset " + records.get(i).offset());
        }
    }
}
