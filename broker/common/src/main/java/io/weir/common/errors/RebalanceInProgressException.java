package io.weir.common.errors;

/** The group is rebalancing; the member should rejoin (it is told so on its next poll). */
public class RebalanceInProgressException extends RetriableException {
    public RebalanceInProgressException(String message) {
        super(message);
    }

    public RebalanceInProgressException(String message, Throwable cause) {
        super(message, cause);
    }
}
