package io.weir.common.errors;

/** A request the broker cannot serve as sent, such as an unknown acks value. */
public class InvalidRequestException extends WeirException {
    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
