package io.weir.common.errors;

/** The coordinator has no state for the {@code transactional.id} named in an admin call. */
public class TransactionalIdNotFoundException extends WeirException {
    public TransactionalIdNotFoundException(String message) {
        super(message);
    }

    public TransactionalIdNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
