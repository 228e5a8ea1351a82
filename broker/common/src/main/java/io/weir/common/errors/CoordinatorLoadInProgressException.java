package io.weir.common.errors;

/** The coordinator is still loading its state from its internal topic after a start; the call is retried. */
public class CoordinatorLoadInProgressException extends RetriableException {
    public CoordinatorLoadInProgressException(String message) {
        super(message);
    }

    public CoordinatorLoadInProgressException(String message, Throwable cause) {
        super(message, cause);
    }
}
