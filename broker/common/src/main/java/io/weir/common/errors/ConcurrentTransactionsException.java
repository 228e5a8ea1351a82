package io.weir.common.errors;

/** The coordinator is still completing the previous transaction of this {@code transactional.id} (writing its markers); the call succeeds once it has, so it is retried. */
public class ConcurrentTransactionsException extends RetriableException {
    public ConcurrentTransactionsException(String message) {
        super(message);
    }

    public ConcurrentTransactionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
