package io.weir.common.errors;

/** The topic does not exist, or it has no partition with that number. The message names both. */
public class UnknownTopicOrPartitionException extends WeirException {
    public UnknownTopicOrPartitionException(String message) {
        super(message);
    }

    public UnknownTopicOrPartitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
