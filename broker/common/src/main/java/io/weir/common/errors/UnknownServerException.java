package io.weir.common.errors;

/** An unexpected error on the broker; the message carries the broker's explanation. */
public class UnknownServerException extends WeirException {
    public UnknownServerException(String message) {
        super(message);
    }

    public UnknownServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
