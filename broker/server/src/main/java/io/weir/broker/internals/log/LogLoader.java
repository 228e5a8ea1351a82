package io.weir.broker.internals.log;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory for {@link Log#open} (Kafka's LogLoader): removes what an interrupted deletion
 * or write left behind, opens the segments, recovers them after an unclean stop, checks the active segment's
 * tail after a clean one, starts the log at its checkpointed log start, and rebuilds the producer state and
 * aborted-transaction indexes
 * ({@link LogProducerState#load}). Every cut is logged as a warning naming the file, the byte position, why,
 * and the bytes, batches and offsets dropped. Runs once, on the opening thread, before the log is published.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);
    private final Path dir;
    private final TopicPartition topicPartition;
    private final LogConfig config;
    private final Time time;
    private final FileChannelFactory channels;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    /** What {@link #load} found: the segments and offsets a log starts from. */
    record Loaded(
            ConcurrentSkipListMap<Long, LogSegment> segments,
            long logStartOffset,
            long logEndOffset,
            long recoveryPoint,
            LogProducerState producerState) {}

    private LogLoader(
            Path dir, TopicPartition topicPartition, LogConfig config, Time time, FileChannelFactory channels) {
        this.dir = dir;
        this.channels = channels;
        this.topicPartition = topicPartition;
        this.config = config;
        this.time = time;
    }

    /**
     * After a crash every segment from the one holding the recovery point is checked batch by batch, that one only
     * from its last indexed batch below the point ({@link LogSegment#recoverAfter}: what lies below was synced and
     * is trusted, so the work grows with the unsynced tail, not the segment), and the log is cut at the first torn or
     * corrupt batch, dropping every later segment that no longer continues it, so the log keeps exactly its longest
     * valid prefix above the recovery point. After a clean shutdown the rolled
     * segments are trusted (damage in them is found when they are read) but the active segment's tail, from its
     * last index entry, is checked: a clean-shutdown marker must not hide a torn tail, since the log end offset is
     * read from it and appends go after it. On failure every segment opened so far is closed again.
     */
    static Loaded load(
            Path dir,
            TopicPartition topicPartition,
            LogConfig config,
            ProducerStateConfig producerStateConfig,
            Time time,
            Shutdown shutdown,
            long checkpointedLogStart,
            FileChannelFactory channels) {
        LogLoader loader = new LogLoader(dir, topicPartition, config, time, channels);
        try {
            Files.createDirectories(dir);
            loader.openSegments();
            long recovered = -1L;
            if (shutdown instanceof Shutdown.Crash crash) {
                recovered = loader.recover(crash.recoveryPoint());
            } else {
                loader.checkActiveTail();
            }
            LogSegment active = loader.segments.lastEntry().getValue();
            long logEnd = active.readNextOffset();
            // Segments wholly below a checkpointed start may still be here (their removal was not yet durable):
            // retention takes them out.
            long logStart = Math.max(checkpointedLogStart, loader.segments.firstKey());
            long recoveryPoint = shutdown instanceof Shutdown.Crash ? Math.min(logEnd, recovered) : logEnd;
            if (logEnd < logStart) {
                loader.startEmptyAt(logStart, logEnd);
                logEnd = logStart;
                recoveryPoint = logStart;
            }
            // The producer state is rebuilt from the segment holding the log start, not from the start itself: a
            // producer's batch may straddle the start, and it must be replayed whole for a retry of it to be
            // recognised as a duplicate.
            LogProducerState producerState = LogProducerState.load(
                    topicPartition,
                    dir,
                    producerStateConfig,
                    time,
                    loader.segments,
                    loader.segments.floorKey(logStart),
                    logEnd,
                    channels);
            return new Loaded(loader.segments, logStart, logEnd, recoveryPoint, producerState);
        } catch (IOException e) {
            loader.closeQuietly();
            throw new KafkaStorageException("Could not open the log of " + topicPartition + " in " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            loader.closeQuietly();
            throw e;
        }
    }

    private void openSegments() throws IOException {
        SegmentSwap.recover(dir, channels);
        List<Long> bases = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // left by a deletion or a write interrupted by the stop
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    String stem = name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length());
                    if (stem.length() != 20 || !stem.chars().allMatch(Character::isDigit)) {
                        throw new KafkaStorageException("Unexpected file " + file + " in the log of " + topicPartition
                                + ": segment files are named by a 20-digit base offset; move it away and reopen");
                    }
                    bases.add(Long.parseLong(stem));
                }
            }
        }
        bases.sort(null);
        for (long base : bases) {
            segments.put(base, LogSegment.open(dir, base, config, channels));
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0L, config, time.milliseconds(), channels));
        }
    }

    /** Checks the tail of the active segment, recovering the segment if it fails. */
    private void checkActiveTail() throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        LogSegment.Cut cut = active.checkTail(maxBatchSize());
        if (cut != null) {
            warnCut(cut, "after a clean shutdown");
            active.flush();
        }
    }

    private int maxBatchSize() {
        return Math.max(config.maxMessageBytes(), config.segmentBytes());
    }

    private void warnCut(LogSegment.Cut cut, String when) {
        String lost = cut.batches() == 0
                ? "no batch header could be followed in them, so the offsets lost from " + cut.firstOffset()
                        + " on are unknown"
                : cut.batches() + (cut.batches() == 1 ? " batch" : " batches") + ", offsets " + cut.firstOffset() + ".."
                        + cut.lastOffset() + " as far as their headers tell";
        LOG.warn("Recovery of " + topicPartition + " " + when + " cut " + cut.file() + " at byte " + cut.position()
                + " (" + cut.reason() + "): dropped " + cut.bytes() + " bytes, " + lost);
    }

    /** Checks the segments from the recovery point on; returns the new recovery point (the recovered end). */
    private long recover(long checkpointedRecoveryPoint) throws IOException {
        Long from = segments.floorKey(Math.max(checkpointedRecoveryPoint, segments.firstKey()));
        boolean truncated = false;
        boolean cut = false;
        long expectedNext = from == null ? segments.firstKey() : from;
        for (LogSegment segment : new ArrayList<>(
                segments.tailMap(from == null ? segments.firstKey() : from).values())) {
            if (truncated || segment.baseOffset != expectedNext) {
                // A corrupt batch, or a segment that does not start where the previous one ended (its
                // predecessor lost unsynced data), ends the valid prefix: nothing after it can be trusted. A
                // cleaned segment ends where the next begins too, with a placeholder batch if need be.
                warnCut(
                        segment.describeWhole(
                                truncated
                                        ? "an earlier segment was dropped"
                                        : "it starts at offset " + segment.baseOffset
                                                + " but the log before it ends at " + expectedNext),
                        "after a crash");
                truncated = true;
                segments.remove(segment.baseOffset);
                segment.deleteNow();
                continue;
            }
            // Only a rolled segment may have been cleaned (the log may have been compacted before its policy
            // changed), so only there may a batch start past the previous end, and then only if the batch after
            // it does not overlap it: a base offset damaged upwards (it lies outside the CRC) would. Every batch
            // must end before the next segment begins.
            Long nextBase = segments.higherKey(segment.baseOffset);
            boolean gapsAllowed = nextBase != null;
            long offsetLimit = nextBase == null ? Long.MAX_VALUE : nextBase;
            // The segment holding the recovery point is checked from its last indexed batch below the point only.
            LogSegment.Cut segmentCut = from != null && segment.baseOffset == from
                    ? segment.recoverAfter(checkpointedRecoveryPoint, maxBatchSize(), gapsAllowed, offsetLimit)
                    : segment.recover(maxBatchSize(), segment.baseOffset, gapsAllowed, offsetLimit);
            segment.flush();
            expectedNext = segment.readNextOffset();
            if (segmentCut != null) {
                // Later segments stay only if this one still ends where the next begins (bytes after its last
                // batch were all that went); the check above drops them otherwise.
                warnCut(segmentCut, "after a crash");
                cut = true;
            }
        }
        if (truncated || cut) {
            LogFiles.syncDirectory(dir);
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0L, config, time.milliseconds(), channels));
        } else if (truncated && segments.lastEntry().getValue().size() > 0) {
            // The cut may have left a rolled segment, perhaps a cleaned one with gaps, as the last: keep it rolled,
            // or the next recovery would check it as an active segment, strictly, and cut it at its first gap.
            long next = segments.lastEntry().getValue().readNextOffset();
            segments.put(next, LogSegment.create(dir, next, config, time.milliseconds(), channels));
            LogFiles.syncDirectory(dir);
        }
        return segments.lastEntry().getValue().readNextOffset();
    }

    /**
     * Empties a log that ends below its checkpointed start (Kafka does the same): DeleteRecords moved the start past
     * records a crash then lost, so nothing the log holds can be read, and appends must go on from the start.
     */
    private void startEmptyAt(long logStart, long logEnd) throws IOException {
        LOG.warn("The log of " + topicPartition + " ends at offset " + logEnd + ", below its checkpointed log start "
                + logStart + ": records deleted before the last stop were lost with an unsynced tail; deleting its "
                + segments.size() + " segment(s) and starting it empty at " + logStart);
        for (LogSegment segment : new ArrayList<>(segments.values())) {
            segments.remove(segment.baseOffset);
            segment.deleteNow();
        }
        segments.put(logStart, LogSegment.create(dir, logStart, config, time.milliseconds(), channels));
        LogFiles.syncDirectory(channels, dir);
    }

    private void closeQuietly() {
        for (LogSegment segment : segments.values()) {
            try {
                segment.closeWithoutFlush();
            } catch (IOException ignored) {
                // already failing; the files stay as they are for the next recovery
            }
        }
    }
}
