package io.weir.common.errors;

/** A blocking client call was interrupted; the thread's interrupt flag is set again before this is thrown. */
public class InterruptException extends WeirException {
    public InterruptException(String message) {
        super(message);
    }

    public InterruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
