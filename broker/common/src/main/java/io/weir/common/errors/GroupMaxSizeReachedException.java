package io.weir.common.errors;

/** The group already has {@code group.max.size} members. */
public class GroupMaxSizeReachedException extends WeirException {
    public GroupMaxSizeReachedException(String message) {
        super(message);
    }

    public GroupMaxSizeReachedException(String message, Throwable cause) {
        super(message, cause);
    }
}
