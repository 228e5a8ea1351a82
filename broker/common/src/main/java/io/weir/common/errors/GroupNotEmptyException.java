package io.weir.common.errors;

/** An operation that needs a group without active members (delete, offset alteration) found members in it. */
public class GroupNotEmptyException extends WeirException {
    public GroupNotEmptyException(String message) {
        super(message);
    }

    public GroupNotEmptyException(String message, Throwable cause) {
        super(message, cause);
    }
}
