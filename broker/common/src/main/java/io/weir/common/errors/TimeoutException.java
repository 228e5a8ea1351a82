package io.weir.common.errors;

/** An operation did not finish within its deadline (max.block.ms, request.timeout.ms, delivery.timeout.ms...). */
public class TimeoutException extends RetriableException {
    public TimeoutException(String message) {
        super(message);
    }

    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
