package io.weir.common.errors;

/** A blocked consumer call was ended by Consumer.wakeup() from another thread. */
public class WakeupException extends WeirException {
    public WakeupException(String message) {
        super(message);
    }

    public WakeupException(String message, Throwable cause) {
        super(message, cause);
    }
}
