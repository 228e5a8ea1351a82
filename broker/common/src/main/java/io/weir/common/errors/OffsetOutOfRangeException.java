package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * An offset outside a partition's log (before its start or past its end), with no reset policy to fall back on.
 *
 * <p>Where the broker raises it, the fields name the partition, the offset asked for and the log's bounds; an
 * exception a client rebuilt from the error code, or raised itself, carries them in its message only (null or
 * -1 here).
 */
public class OffsetOutOfRangeException extends WeirException {
    private final TopicPartition topicPartition;
    private final long offset;
    private final long logStartOffset;
    private final long logEndOffset;

    /**
     * As a client rebuilds it from an error code and message: the context is in the message only and the
     * accessors answer null or -1.
     */
    public OffsetOutOfRangeException(String message) {
        this(message, null);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        this(message, cause, null, -1L, -1L, -1L);
    }

    /** {@code offset} is outside {@code [logStartOffset, logEndOffset]} of the partition's log. */
    public OffsetOutOfRangeException(
            TopicPartition topicPartition, long offset, long logStartOffset, long logEndOffset) {
        this(
                "Offset " + offset + " is out of range for " + topicPartition + ": the log holds [" + logStartOffset
                        + ", " + logEndOffset + ")",
                null,
                topicPartition,
                offset,
                logStartOffset,
                logEndOffset);
    }

    /**
     * {@code offset} is not one the request may name for the partition, which the broker's {@code message}
     * explains (e.g. a DeleteRecords offset past the high watermark); the fields still carry the log's bounds.
     */
    public OffsetOutOfRangeException(
            String message, TopicPartition topicPartition, long offset, long logStartOffset, long logEndOffset) {
        this(message, null, topicPartition, offset, logStartOffset, logEndOffset);
    }

    private OffsetOutOfRangeException(
            String message,
            Throwable cause,
            TopicPartition topicPartition,
            long offset,
            long logStartOffset,
            long logEndOffset) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.offset = offset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public long offset() {
        return offset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
