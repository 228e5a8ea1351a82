package io.weir.common.errors;

/** A requested session timeout outside the broker's {@code group.min.session.timeout.ms}..{@code group.max.session.timeout.ms}. */
public class InvalidSessionTimeoutException extends WeirException {
    public InvalidSessionTimeoutException(String message) {
        super(message);
    }

    public InvalidSessionTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
