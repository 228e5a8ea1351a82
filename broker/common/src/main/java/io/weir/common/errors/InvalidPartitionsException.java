package io.weir.common.errors;

/** A partition count that is not allowed: zero, negative, or a decrease of an existing topic. */
public class InvalidPartitionsException extends WeirException {
    public InvalidPartitionsException(String message) {
        super(message);
    }

    public InvalidPartitionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
