package io.weir.broker.internals.log;

import java.util.List;

/**
 * What the log cleaner may clean in one log, read under the log's lock by {@link Log#cleanableRange}.
 *
 * @param log                the log
 * @param logStartOffset     where cleaning starts: every pass rewrites the log from its start
 * @param firstDirtyOffset   the first offset not cleaned yet (the cleaner's checkpoint, kept within the log)
 * @param firstUncleanableOffset a segment base: nothing at or after it is touched
 * @param segments           the segments wholly below {@code firstUncleanableOffset}, oldest first
 * @param cleanBytes         bytes of the segments below the first dirty offset
 * @param dirtyBytes         bytes of the segments from the one holding the first dirty offset
 * @param compactionDue      whether the oldest dirty record passed {@code max.compaction.lag.ms}
 */
record CleanableRange(
        Log log,
        long logStartOffset,
        long firstDirtyOffset,
        long firstUncleanableOffset,
        List<LogSegment> segments,
        long cleanBytes,
        long dirtyBytes,
        boolean compactionDue) {

    /** The share of the cleanable bytes not cleaned yet, Kafka's dirty ratio. */
    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Whether the cleaner should take this log: dirty enough, or overdue. */
    boolean needsCleaning(double minCleanableRatio) {
        return dirtyBytes > 0 && (compactionDue || dirtyRatio() >= minCleanableRatio);
    }
}
