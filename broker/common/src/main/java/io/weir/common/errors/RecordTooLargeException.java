package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * A record or batch is larger than the producer's max.request.size or the topic's max.message.bytes; the
 * message names both sizes.
 *
 * <p>Where the broker raises it, the fields name the partition, the batch's size and the topic's limit; an
 * exception a client rebuilt from the error code, or raised itself against max.request.size, carries them in
 * its message only (null or -1 here).
 */
public class RecordTooLargeException extends WeirException {
    private final TopicPartition topicPartition;
    private final int sizeInBytes;
    private final int maxMessageBytes;

    /**
     * As a client rebuilds it from an error code and message: the context is in the message only and the
     * accessors answer null or -1.
     */
    public RecordTooLargeException(String message) {
        this(message, null);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        this(message, cause, null, -1, -1);
    }

    /** A batch of {@code sizeInBytes} for the partition exceeds the topic's {@code max.message.bytes}. */
    public RecordTooLargeException(TopicPartition topicPartition, int sizeInBytes, int maxMessageBytes) {
        this(
                "Record batch of " + sizeInBytes + " bytes for " + topicPartition
                        + " exceeds the topic's max.message.bytes=" + maxMessageBytes,
                null,
                topicPartition,
                sizeInBytes,
                maxMessageBytes);
    }

    private RecordTooLargeException(
            String message, Throwable cause, TopicPartition topicPartition, int sizeInBytes, int maxMessageBytes) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.sizeInBytes = sizeInBytes;
        this.maxMessageBytes = maxMessageBytes;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public int sizeInBytes() {
        return sizeInBytes;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }
}
