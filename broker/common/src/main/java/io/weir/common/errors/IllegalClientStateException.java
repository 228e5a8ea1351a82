package io.weir.common.errors;

/** A client was used in a state that does not allow the call, such as after close(). */
public class IllegalClientStateException extends WeirException {
    public IllegalClientStateException(String message) {
        super(message);
    }

    public IllegalClientStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
