package io.weir.common.errors;

/** The named group does not exist: it has no members and no committed offsets. */
public class GroupIdNotFoundException extends WeirException {
    public GroupIdNotFoundException(String message) {
        super(message);
    }

    public GroupIdNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
