package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * A fetched record's key or value could not be deserialized. The consumer stays at the record: every poll
 * fails with this exception until the caller seeks past it, to {@code offset() + 1}.
 */
public class RecordDeserializationException extends SerializationException {
    private final TopicPartition topicPartition;
    private final long offset;

    public RecordDeserializationException(TopicPartition topicPartition, long offset, String message, Throwable cause) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.offset = offset;
    }

    /** The partition of the record that failed. */
    public TopicPartition topicPartition() {
        return topicPartition;
    }

    /** The offset of the record that failed. */
    public long offset() {
        return offset;
    }
}
