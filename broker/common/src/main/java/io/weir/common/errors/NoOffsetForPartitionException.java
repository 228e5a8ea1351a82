package io.weir.common.errors;

/** A consumer has no position for a partition and auto.offset.reset is none. The message names the partition. */
public class NoOffsetForPartitionException extends WeirException {
    public NoOffsetForPartitionException(String message) {
        super(message);
    }

    public NoOffsetForPartitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
