package io.weir.common.errors;

/** An error that may go away if the same call is tried again (a timeout, a full buffer, a moving leader). */
public class RetriableException extends WeirException {
    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
