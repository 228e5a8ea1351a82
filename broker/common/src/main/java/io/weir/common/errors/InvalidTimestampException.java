package io.weir.common.errors;

/** A record timestamp that cannot be stored, such as a negative one other than -1 (no timestamp). */
public class InvalidTimestampException extends WeirException {
    public InvalidTimestampException(String message) {
        super(message);
    }

    public InvalidTimestampException(String message, Throwable cause) {
        super(message, cause);
    }
}
