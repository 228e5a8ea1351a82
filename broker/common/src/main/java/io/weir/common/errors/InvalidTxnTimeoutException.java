package io.weir.common.errors;

/** The {@code transaction.timeout.ms} a producer asked for is above the broker's {@code transaction.max.timeout.ms} (or not positive). */
public class InvalidTxnTimeoutException extends WeirException {
    public InvalidTxnTimeoutException(String message) {
        super(message);
    }

    public InvalidTxnTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
