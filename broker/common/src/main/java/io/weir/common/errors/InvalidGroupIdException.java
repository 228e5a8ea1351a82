package io.weir.common.errors;

/** A group call with a null or empty group id, or a consumer that needs a group without {@code group.id}. */
public class InvalidGroupIdException extends WeirException {
    public InvalidGroupIdException(String message) {
        super(message);
    }

    public InvalidGroupIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
