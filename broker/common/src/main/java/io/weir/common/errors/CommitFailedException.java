package io.weir.common.errors;

/** An offset commit the group refused because this member is no longer part of the generation that owns the partitions; the message says why. */
public class CommitFailedException extends WeirException {
    public CommitFailedException(String message) {
        super(message);
    }

    public CommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
