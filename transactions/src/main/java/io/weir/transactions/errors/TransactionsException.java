package io.weir.transactions.errors;

/**
 * Root of the errors the exactly-once protocol reports. The state machines in this module answer with
 * verdicts (values); these exceptions exist so that a caller that decides a verdict is an error can throw
 * something that names the producer, epoch and sequences involved, and so the broker can map each one to
 * its protocol error code in one place.
 */
public class TransactionsException extends RuntimeException {
    public TransactionsException(String message) {
        super(message);
    }

    public TransactionsException(String message, Throwable cause) {
        super(message, cause);
    }
}
