package io.weir.broker.internals.log;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.protocol.ReadBuffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.LongSupplier;

/**
 * The reader side of a {@link Log}: reads of batches, offset look-ups by time, and the aborted transactions
 * of a range. Every method is bounded by the {@link PublishedOffsets} the caller read once from the log, so
 * it never looks at bytes the writer has not published.
 *
 * <p>Thread-safe and lock-free: segments are found in the log's concurrent map, their bytes are read with
 * positioned reads below the published position, and their aborted-transaction indexes are immutable lists.
 * A segment deleted by retention or DeleteRecords during a read fails the read with an out-of-range error if the
 * offset fell below the new log start.
 */
final class LogReader {
    private final TopicPartition topicPartition;
    private final NavigableMap<Long, LogSegment> segments;
    private final LongSupplier logStartOffset;

    LogReader(TopicPartition topicPartition, NavigableMap<Long, LogSegment> segments, LongSupplier logStartOffset) {
        this.topicPartition = topicPartition;
        this.segments = segments;
        this.logStartOffset = logStartOffset;
    }

    /**
     * Whole batches from {@code offset}, at most {@code maxBytes} (but one whole batch with
     * {@code minOneBatch}), below the high watermark, and under read_committed only those that start below
     * the last stable offset. Every batch header on the way is checked (see {@link LogSegment#read}).
     *
     * @throws OffsetOutOfRangeException {@code offset} is before the log start or after the log end
     * @throws CorruptSegmentException naming the partition, the segment file and the byte position of a batch
     *         that does not check, or of the end of a segment that ends before the next one begins
     */
    FetchDataInfo read(
            long offset,
            int maxBytes,
            boolean minOneBatch,
            IsolationLevel isolation,
            PublishedOffsets published,
            long logEnd) {
        return read(offset, maxBytes, minOneBatch, isolation, published, logEnd, ReadMode.COPY, ReadBuffers.HEAP);
    }

    /**
     * {@link #read(long, int, boolean, IsolationLevel, PublishedOffsets, long)}, with the batches left in the segment
     * file under {@link ReadMode#FILE_SLICE} when the last stable offset does not cut them (read_uncommitted, or
     * read_committed with nothing unstable below the high watermark): a file slice ends at the high watermark's
     * position already, like a copy, but cutting it at the last stable offset would need the batches walked.
     */
    FetchDataInfo read(
            long offset,
            int maxBytes,
            boolean minOneBatch,
            IsolationLevel isolation,
            PublishedOffsets published,
            long logEnd,
            ReadMode mode,
            ReadBuffers buffers) {
        long start = logStartOffset.getAsLong();
        if (offset < start || offset > logEnd) {
            throw new OffsetOutOfRangeException(topicPartition, offset, start, logEnd);
        }
        long limit =
                isolation == IsolationLevel.READ_COMMITTED ? published.lastStableOffset() : published.highWatermark();
        if (offset >= limit) {
            return result(ByteBuffer.allocate(0), published, start, logEnd);
        }
        ReadMode into = limit < published.highWatermark() ? ReadMode.COPY : mode;
        // Walk segment by segment from the entry found, never from a key looked up again: a cleaner swap may
        // remove the floor segment meanwhile, and a fresh look-up would then skip the offsets it held.
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        if (entry == null) {
            if (offset < logStartOffset.getAsLong()) {
                // The log start moved past the offset and its segment went since the check above: reading on from
                // the next segment would skip the offsets between them silently.
                throw new OffsetOutOfRangeException(topicPartition, offset, logStartOffset.getAsLong(), logEnd);
            }
            entry = segments.ceilingEntry(offset);
        }
        try {
            for (; entry != null; entry = segments.higherEntry(entry.getKey())) {
                LogSegment segment = entry.getValue();
                if (segment.baseOffset > published.segmentBaseOffset()) {
                    break;
                }
                int maxPosition =
                        segment.baseOffset == published.segmentBaseOffset() ? published.position() : segment.size();
                // The cleaner never rewrites the active segment, so its offsets are contiguous even in a compacted
                // log; a rolled one may have gaps. Every batch of a segment ends before the next segment, or the
                // high watermark, begins.
                Long nextBase = segments.higherKey(segment.baseOffset);
                long offsetLimit = nextBase != null ? nextBase : published.highWatermark();
                LogSegment.ReadResult read = segment.read(
                        offset,
                        maxBytes,
                        maxPosition,
                        minOneBatch,
                        nextBase == null ? LogSegment.OffsetOrder.CONTIGUOUS : LogSegment.OffsetOrder.INCREASING,
                        offsetLimit,
                        into,
                        buffers);
                if (read != null && read.onDisk() != null && read.onDisk().size() > 0) {
                    return new FetchDataInfo(
                            ByteBuffer.allocate(0),
                            published.highWatermark(),
                            published.lastStableOffset(),
                            start,
                            logEnd,
                            read.onDisk());
                }
                if (read != null && read.batches().hasRemaining()) {
                    // Bytes end at the high watermark's position already; only a last stable offset below it
                    // needs the batch headers walked.
                    ByteBuffer batches =
                            limit < published.highWatermark() ? startingBelow(read.batches(), limit) : read.batches();
                    return result(batches, published, start, logEnd);
                }
                if (read != null) {
                    break; // the first batch did not fit in maxBytes
                }
                if (nextBase != null && segment.baseOffset <= offset) {
                    // Nothing at or after the offset in a rolled segment, though every segment ends where the next
                    // begins (the cleaner ends a cleaned one with a placeholder batch if need be): it lost its last
                    // batches at a clean boundary, which no header shows. Moving on would skip the offsets silently.
                    throw new CorruptSegmentException(
                            segment.logPath(),
                            segment.size(),
                            offset,
                            "the segment ends before"
                                    + " offset " + offset + " but the next one begins at " + nextBase + ": offsets "
                                    + offset + ".."
                                    + (nextBase - 1) + " are missing");
                }
            }
        } catch (CorruptSegmentException e) {
            throw e.in(topicPartition);
        } catch (IOException e) {
            if (offset < logStartOffset.getAsLong()) {
                // Retention deleted it while it was read: the log now starts past it.
                throw new OffsetOutOfRangeException(topicPartition, offset, logStartOffset.getAsLong(), logEnd);
            }
            throw new KafkaStorageException("Could not read " + topicPartition + " at offset " + offset + ": " + e, e);
        }
        return result(ByteBuffer.allocate(0), published, start, logEnd);
    }

    /** See {@link Log#corruptBatch}. */
    CorruptSegmentException corruptBatch(long offset, CorruptRecordException cause) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        if (entry == null) {
            entry = segments.firstEntry();
        }
        LogSegment segment = entry.getValue();
        long position;
        try {
            position = segment.positionOf(offset, segment.size());
        } catch (CorruptSegmentException e) {
            return e.in(topicPartition); // a header before it is damaged too: that is where reading stops
        } catch (IOException e) {
            position = -1L; // not known; the file and offset still say where to look
            cause.addSuppressed(e);
        }
        return new CorruptSegmentException(segment.logPath(), position, offset, cause.getMessage(), cause)
                .in(topicPartition);
    }

    private static FetchDataInfo result(ByteBuffer batches, PublishedOffsets published, long start, long end) {
        return new FetchDataInfo(batches, published.highWatermark(), published.lastStableOffset(), start, end, null);
    }

    /** {@code batches} cut before the first batch that starts at or after {@code limit}. */
    private static ByteBuffer startingBelow(ByteBuffer batches, long limit) {
        int end = batches.position();
        while (end < batches.limit() && BatchHeader.baseOffset(batches, end) < limit) {
            end += BatchHeader.sizeInBytes(batches, end);
        }
        return batches.limit(end);
    }

    /**
     * The aborted transactions that overlap {@code [startOffset, upperBoundOffset)}, scanning the transaction
     * indexes from the segment holding {@code startOffset} on, until one says no later abort can overlap
     * (Kafka's collectAbortedTransactions). A transaction's marker may lie in a later segment than its
     * batches, which is why the scan does not stop at the bound.
     */
    List<AbortedTxn> abortedTransactions(long startOffset, long upperBoundOffset) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
        if (entry == null) {
            entry = segments.firstEntry();
        }
        List<AbortedTxn> aborted = new ArrayList<>();
        for (; entry != null; entry = segments.higherEntry(entry.getKey())) {
            LogSegment segment = entry.getValue();
            TransactionIndex.SearchResult found = segment.collectAbortedTxns(startOffset, upperBoundOffset);
            aborted.addAll(found.aborted());
            if (found.complete()) {
                break;
            }
        }
        return aborted;
    }

    /**
     * The first offset at or after {@code startOffset} whose record timestamp is at or after {@code timestamp}, with
     * that timestamp, or null when no record there below the high watermark is that late.
     */
    long[] offsetForTimestamp(long timestamp, long startOffset, PublishedOffsets published) {
        try {
            for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
                LogSegment segment = entry.getValue();
                if (segment.baseOffset > published.segmentBaseOffset()) {
                    break;
                }
                Long nextBase = segments.higherKey(entry.getKey());
                if (segment.maxTimestamp() < timestamp || (nextBase != null && nextBase <= startOffset)) {
                    continue;
                }
                int limit = segment.baseOffset == published.segmentBaseOffset() ? published.position() : segment.size();
                long[] found = segment.findOffsetByTimestamp(timestamp, startOffset, limit);
                if (found != null) {
                    return found;
                }
            }
            return null;
        } catch (IOException e) {
            throw new KafkaStorageException("Could not search " + topicPartition + " by timestamp: " + e, e);
        }
    }

    /**
     * The offset and timestamp of the record with the largest timestamp below the high watermark (the first
     * such record on ties), or null when there is none.
     */
    long[] maxTimestampAndOffset(PublishedOffsets published) {
        try {
            long best = -1L;
            for (LogSegment segment : segments.values()) {
                if (segment.baseOffset > published.segmentBaseOffset()) {
                    break;
                }
                long segmentMax = segment.baseOffset == published.segmentBaseOffset()
                        ? segment.scanMaxTimestamp(0, published.position())
                        : segment.maxTimestamp();
                best = Math.max(best, segmentMax);
            }
            return best < 0 ? null : offsetForTimestamp(best, Long.MIN_VALUE, published);
        } catch (IOException e) {
            throw new KafkaStorageException(
                    "Could not search " + topicPartition + " for its largest timestamp: " + e, e);
        }
    }
}
