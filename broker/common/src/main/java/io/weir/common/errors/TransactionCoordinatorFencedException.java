package io.weir.common.errors;

/** A transaction marker carried an older coordinator epoch than the partition has seen: it came from a stale coordinator and was refused. */
public class TransactionCoordinatorFencedException extends WeirException {
    public TransactionCoordinatorFencedException(String message) {
        super(message);
    }

    public TransactionCoordinatorFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
