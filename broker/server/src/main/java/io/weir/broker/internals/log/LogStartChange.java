package io.weir.broker.internals.log;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.PolicyViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Where a log's start offset moves and which whole segments go with it, decided from the log's state with no side
 * effect; {@link Log} applies it under its lock. Two things move the start (Kafka's {@code deleteOldSegments} and
 * {@code maybeIncrementLogStartOffset}):
 *
 * <ul>
 *   <li>retention, segment by segment from the oldest, to the base of the first segment it keeps;</li>
 *   <li>DeleteRecords, to any offset up to the high watermark, possibly inside a segment.</li>
 * </ul>
 *
 * Either way every segment that lies wholly below the new start goes, whatever the cleanup policy (its records
 * can no longer be read), except the active segment, which stays until it rolls. The start never moves back.
 *
 * @param logStartOffset the log start offset after the change, never below the one before
 * @param removed        the segments to take out, oldest first: each ends at or below {@code logStartOffset}, or
 *                       retention removes it
 */
record LogStartChange(long logStartOffset, List<LogSegment> removed) {

    /** A DeleteRecords offset that stands for the partition's high watermark, as in Kafka's request. */
    static final long HIGH_WATERMARK = -1L;

    LogStartChange {
        removed = List.copyOf(removed);
    }

    /**
     * What retention removes: first the segments wholly below the log start (a DeleteRecords moved it there), then,
     * if the policy deletes, the oldest ones older than {@code retention.ms} by their newest record or while the log
     * exceeds {@code retention.bytes} — never one holding offsets at or above the high watermark.
     */
    static LogStartChange retention(
            NavigableMap<Long, LogSegment> segments,
            long logStartOffset,
            long highWatermark,
            LogConfig config,
            long nowMs) {
        long totalSize = 0;
        for (LogSegment segment : segments.values()) {
            totalSize += segment.size();
        }
        long start = logStartOffset;
        List<LogSegment> removed = new ArrayList<>();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            Long nextBase = segments.higherKey(entry.getKey());
            if (nextBase == null) {
                break; // the active segment
            }
            LogSegment segment = entry.getValue();
            if (nextBase > logStartOffset) {
                if (!config.deletesOldSegments() || nextBase > highWatermark) {
                    break; // compact-only: every key's latest record must stay
                }
                long newest = segment.maxTimestamp() >= 0 ? segment.maxTimestamp() : segment.rollingBaseTimestamp();
                boolean expired = config.retentionMs() >= 0 && nowMs - newest > config.retentionMs();
                boolean oversize =
                        config.retentionBytes() >= 0 && totalSize - segment.size() >= config.retentionBytes();
                if (!expired && !oversize) {
                    break;
                }
                start = nextBase;
            }
            removed.add(segment);
            totalSize -= segment.size();
        }
        return new LogStartChange(start, removed);
    }

    /**
     * What a DeleteRecords of everything before {@code beforeOffset} does: the log start moves up to it (an offset at
     * or below the current start changes nothing) and every segment wholly below the new start goes.
     *
     * @param beforeOffset an offset from 0 to the high watermark, or {@link #HIGH_WATERMARK}
     * @throws PolicyViolationException  the log's cleanup policy does not delete (compact only)
     * @throws OffsetOutOfRangeException {@code beforeOffset} is past the high watermark, or negative other than
     *                                   {@link #HIGH_WATERMARK}; it carries the log's bounds
     */
    static LogStartChange deleteRecords(
            TopicPartition topicPartition,
            NavigableMap<Long, LogSegment> segments,
            long logStartOffset,
            long highWatermark,
            long logEndOffset,
            LogConfig config,
            long beforeOffset) {
        if (!config.deletesOldSegments()) {
            throw new PolicyViolationException("Records of " + topicPartition + " cannot be deleted: its "
                    + "cleanup.policy is " + config.cleanupPolicy() + ", which keeps every key's latest record; "
                    + "deleting records needs delete in the policy");
        }
        long target = beforeOffset == HIGH_WATERMARK ? highWatermark : beforeOffset;
        if (target < 0) {
            throw new OffsetOutOfRangeException(
                    "Cannot delete the records of " + topicPartition + " before offset " + beforeOffset
                            + ": give an offset from 0 to the high watermark " + highWatermark + ", or "
                            + HIGH_WATERMARK + " for the high watermark",
                    topicPartition,
                    beforeOffset,
                    logStartOffset,
                    logEndOffset);
        }
        if (target > highWatermark) {
            throw new OffsetOutOfRangeException(
                    "Cannot delete the records of " + topicPartition + " before offset " + target
                            + ": it is past the high watermark " + highWatermark + " (the log holds ["
                            + logStartOffset + ", " + logEndOffset + "))",
                    topicPartition,
                    target,
                    logStartOffset,
                    logEndOffset);
        }
        long start = Math.max(logStartOffset, target);
        List<LogSegment> removed = new ArrayList<>();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            Long nextBase = segments.higherKey(entry.getKey());
            if (nextBase == null || nextBase > start) {
                break;
            }
            removed.add(entry.getValue());
        }
        return new LogStartChange(start, removed);
    }
}
