package io.weir.common.errors;

/** Another producer with the same {@code transactional.id} has called {@code initTransactions}: this instance is a zombie and is fenced. It cannot send or commit again; close it. */
public class ProducerFencedException extends WeirException {
    public ProducerFencedException(String message) {
        super(message);
    }

    public ProducerFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
